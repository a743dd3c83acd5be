using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace MetaStudio.Emulator.Data;

/// <summary>
/// Loads <c>--data FILE</c>: <c>{"rooms":[{"room_id":"…","room_name":"…","jobs":[{…job…}]}]}</c>.
/// Jobs are served as written, so a file can carry unknown future fields and enum values.
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
            string id = room.GetProperty("room_id").GetString() ?? throw new FormatException($"{path}: a room has no room_id.");
            string name = room.TryGetProperty("room_name", out var n) ? n.GetString() ?? id : id;
            store.AddRoom(id, name);
            if (room.TryGetProperty("jobs", out var jobs))
            {
                store.AddJobs(id, jobs.EnumerateArray().Select(j => j.GetRawText()).ToList());
            }
        }
    }
}
