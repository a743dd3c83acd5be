using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetaStudio.Emulator.Data;
using MetaStudio.Emulator.Faults;

namespace MetaStudio.Emulator.Api;

/// <summary>
/// Live commands: ExecuteSmartLiveCommand and ListInsertCommands. A command reaches only a PROCESSING job
/// (400 MSS.10001006 otherwise, a code chosen here); it is recorded in the <see cref="CommandStore"/>
/// (source EXTERNAL). GET_CURRENT_PLAYING_SCRIPTS answers the room's scene scripts (or those a
/// REWRITE_PLAY_SCRIPT gave the job) as LivePlayingScriptInfo items under "scripts";
/// GET_LIVE_JOB_CONFIG_INFO answers the room's ShowSmartLiveRoom body with the job's callback config and
/// rewritten scripts; every other command answers "SUCCESS".
/// </summary>
internal sealed class CommandsApi
{
    private static readonly string[] Known =
    {
        "INSERT_PLAY_SCRIPT", "INSERT_PLAY_AUDIO", "REWRITE_PLAY_SCRIPT", "REWRITE_INTERACTION_RULES", "GET_CURRENT_PLAYING_SCRIPTS",
        "SHOW_LAYER", "REFRESH_OUTPUT_URL", "GET_LIVE_JOB_CONFIG_INFO", "CLEAN_UP_INSERT_COMMAND", "RESET_EXIT_CONFIG",
    };

    private readonly JobStore store;
    private readonly CommandStore commands;

    public CommandsApi(JobStore store, CommandStore commands)
    {
        this.store = store;
        this.commands = commands;
    }

    public ApiResult Execute(ApiCall call)
    {
        JsonNode? body;
        try
        {
            body = JsonNode.Parse(call.Body.Length == 0 ? "null"u8 : call.Body);
        }
        catch (JsonException)
        {
            return ApiResult.Error(400, ErrorBodies.RequestJsonException, "Request JSON exception");
        }

        if (body is not JsonObject request || request["command"] is not JsonValue commandValue || !commandValue.TryGetValue(out string? command))
        {
            return ApiResult.Error(400, ErrorBodies.InvalidBody, "Invalid body: command is required");
        }

        if (!Known.Contains(command, StringComparer.Ordinal))
        {
            return ApiResult.Error(400, ErrorBodies.ParameterValidation, $"Parameter validation abnormal: command {command} is not supported");
        }

        var parameters = request["params"];
        if (parameters is not null and not JsonObject && !(command == "REWRITE_PLAY_SCRIPT" && parameters is JsonArray))
        {
            return ApiResult.Error(400, ErrorBodies.ParameterValidation, "Parameter validation abnormal: params must be an object");
        }

        string roomId = call.Route.RoomId!, jobId = call.Route.JobId!;
        var room = store.FindRoom(roomId);
        if (room is null)
        {
            return RoomsApi.NotFound(roomId);
        }

        var job = store.Find(roomId, jobId);
        if (job is null)
        {
            return ApiResult.Error(404, ErrorBodies.JobNotFound, $"Smart live job not found: {jobId}");
        }

        if (job.State != JobStates.Processing)
        {
            return ApiResult.Error(400, ErrorBodies.JobNotProcessing, $"The smart live job is not processing: job {jobId} is {job.State}");
        }

        if (Invalid(command, parameters as JsonObject) is { } problem)
        {
            return ApiResult.Error(400, ErrorBodies.ParameterValidation, "Parameter validation abnormal: " + problem);
        }

        if (command == "REWRITE_PLAY_SCRIPT" && (parameters is JsonArray ? parameters : parameters?["scene_scripts"]) is JsonArray scripts)
        {
            commands.RewriteScripts(roomId, jobId, scripts.ToJsonString());
        }

        string result = call.Fault?.Kind == FaultKind.HostileResult ? Hostile(call.Fault.Argument)
            : command switch
            {
                "GET_CURRENT_PLAYING_SCRIPTS" => PlayingScripts(room, jobId),
                "GET_LIVE_JOB_CONFIG_INFO" => JobConfig(room, job, call.Route.ProjectId),
                _ => "SUCCESS",
            };
        var executed = commands.Record(new ExecutedCommand(Guid.NewGuid().ToString("D"), roomId, jobId, command, parameters?.ToJsonString(), "EXTERNAL", call.Now, result));
        var answer = new JsonObject { ["command_id"] = executed.CommandId, ["command"] = command, ["result"] = result };
        return ApiResult.Json(200, Encoding.UTF8.GetBytes(answer.ToJsonString()));
    }

    /// <summary>ListInsertCommands: offset 0–2147483647 (default 0), limit 1–100 (default 10); <c>{"count":N,"insert_commands":[…]}</c>.</summary>
    public ApiResult List(ApiCall call)
    {
        int offset = 0, limit = 10;
        foreach (var (key, value) in call.QueryPairs())
        {
            bool ok = key switch
            {
                "offset" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out offset) && offset >= 0,
                "limit" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= 100,
                _ => true,
            };
            if (!ok)
            {
                return ApiResult.Error(400, ErrorBodies.InvalidParameter, $"Invalid parameter: {key}");
            }
        }

        string roomId = call.Route.RoomId!, jobId = call.Route.JobId!;
        if (store.FindRoom(roomId) is null)
        {
            return RoomsApi.NotFound(roomId);
        }

        if (store.Find(roomId, jobId) is null)
        {
            return ApiResult.Error(404, ErrorBodies.JobNotFound, $"Smart live job not found: {jobId}");
        }

        var all = commands.InsertedInto(roomId, jobId);
        int start = call.Fault?.Kind == FaultKind.IgnoreOffset ? 0 : Math.Min(offset, all.Count);
        var items = new JsonArray();
        foreach (var c in all.Skip(start).Take(limit))
        {
            items.Add(new JsonObject
            {
                ["command_id"] = c.CommandId,
                ["command"] = c.Command,
                ["params"] = c.ParamsJson is null ? null : JsonNode.Parse(c.ParamsJson),
                ["source"] = c.Source,
            });
        }

        long count = call.Fault?.Kind == FaultKind.Count ? call.Fault.Argument : all.Count;
        return ApiResult.Json(200, Encoding.UTF8.GetBytes(new JsonObject { ["count"] = count, ["insert_commands"] = items }.ToJsonString()));
    }

    /// <summary>What the service would refuse in the params of the two insert commands (the bounds the module checks too).</summary>
    private static string? Invalid(string command, JsonObject? parameters)
    {
        static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        return command switch
        {
            // PlayTextInfo carries its words in text_config.text (TextConfig), as the API's command appendix defines it.
            "INSERT_PLAY_SCRIPT" when Text(parameters?["text_config"]?["text"]) is not { Length: > 0 and <= 131_072 } => "params.text_config.text must be a string of 1 to 131072 characters",
            "INSERT_PLAY_AUDIO" when Text(parameters?["audio_url"]) is not { Length: > 0 and <= 2_048 } => "params.audio_url must be a string of 1 to 2048 characters",
            _ => null,
        };
    }

    /// <summary>LivePlayingScriptList: {"scene_scripts":[…]} as documented; each item's shape is chosen here: {script_name, model_asset_id, shoot_scripts:[{sequence_no, title, text}]}.</summary>
    private string PlayingScripts(StoredRoom room, string jobId)
    {
        var scenes = SceneScripts(room, jobId);
        var scripts = new JsonArray();
        foreach (var scene in scenes.OfType<JsonObject>())
        {
            var items = new JsonArray();
            foreach (var shoot in (scene["shoot_scripts"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                items.Add(new JsonObject
                {
                    ["sequence_no"] = shoot["sequence_no"]?.DeepClone(),
                    ["title"] = shoot["title"]?.DeepClone(),
                    ["text"] = shoot["text_config"]?["text"]?.DeepClone(),
                });
            }

            scripts.Add(new JsonObject
            {
                ["script_name"] = scene["script_name"]?.DeepClone(),
                ["model_asset_id"] = scene["model_asset_id"]?.DeepClone(),
                ["shoot_scripts"] = items,
            });
        }

        return new JsonObject { ["scene_scripts"] = scripts }.ToJsonString();
    }

    private string JobConfig(StoredRoom room, StoredJob job, string projectId)
    {
        var config = JsonNode.Parse(RoomsApi.Detail(store, room, projectId))!.AsObject();
        if (commands.RewrittenScripts(room.RoomId, job.JobId) != null)
        {
            config["scene_scripts"] = SceneScripts(room, job.JobId);
        }

        if (job.Live?.LiveEventCallbackConfig is { } callback)
        {
            config["live_event_callback_config"] = JsonNode.Parse(callback);
        }

        return config.ToJsonString();
    }

    private JsonArray SceneScripts(StoredRoom room, string jobId)
    {
        string? rewritten = commands.RewrittenScripts(room.RoomId, jobId);
        var node = rewritten != null ? JsonNode.Parse(rewritten) : JsonNode.Parse(room.Json)?["scene_scripts"]?.DeepClone();
        return node as JsonArray ?? new JsonArray();
    }

    /// <summary>Escape sequences that would retitle and recolour a console, JSON that breaks off, then KiB of filler.</summary>
    private static string Hostile(int kib)
    {
        var text = new StringBuilder("\u001b]0;owned\u0007\u001b[31m{\"scripts\":[{\"script_name\":\"\u001b[2J", Math.Max(0, kib) * 1024 + 64);
        text.Append('x', Math.Max(0, kib) * 1024);
        return text.ToString();
    }
}
