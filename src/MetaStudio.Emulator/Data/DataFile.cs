using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace MetaStudio.Emulator.Data;

/// <summary>
/// Loads <c>--data FILE</c>: <c>{"rooms":[{"room_id":"…","room_name":"…", …room fields…,"jobs":[{…job…}]}]}</c>.
/// Rooms and jobs are served as written, so a file can carry unknown future fields and enum values;
/// a room's <c>jobs</c> and <c>template_own_type</c> are not room fields and are not served.
/// </summary>
public static class DataFile
{
    public static void Load(JobStore store, string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("rooms", out var rooms) || rooms.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path}: expected an object with a \"rooms\" array.");
        }

        foreach (var room in rooms.EnumerateArray())
        {
            if (room.ValueKind != JsonValueKind.Object || !room.TryGetProperty("room_id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"{path}: a room has no room_id.");
            }

            var (json, ownType) = StoredRoom.Normalise(room);
            var stored = store.AddRoom(json, ownType);
            if (room.TryGetProperty("jobs", out var jobs))
            {
                store.AddJobs(stored.RoomId, jobs.EnumerateArray().Select(j => j.GetRawText()).ToList());
            }
        }
    }
}
