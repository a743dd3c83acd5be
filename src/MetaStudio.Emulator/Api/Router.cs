using System;
using System.Linq;
using Microsoft.AspNetCore.Http;

namespace MetaStudio.Emulator.Api;

/// <summary>The operations the emulator serves, by their SDK names (the throttle's buckets too).</summary>
public static class Operations
{
    public const string ListSmartLive = "ListSmartLive";
    public const string ListSmartLiveJobs = "ListSmartLiveJobs";
    public const string ShowSmartLive = "ShowSmartLive";
    public const string ListSmartLiveRooms = "ListSmartLiveRooms";
    public const string ShowSmartLiveRoom = "ShowSmartLiveRoom";
    public const string StartSmartLive = "StartSmartLive";
    public const string StopSmartLive = "StopSmartLive";
    public const string ExecuteSmartLiveCommand = "ExecuteSmartLiveCommand";
    public const string ListInsertCommands = "ListInsertCommands";

    /// <summary>Every operation served, in the order of the README's table.</summary>
    public static readonly string[] All =
    {
        ListSmartLiveRooms, ShowSmartLiveRoom, ListSmartLive, ListSmartLiveJobs, ShowSmartLive, StartSmartLive, StopSmartLive,
        ExecuteSmartLiveCommand, ListInsertCommands,
    };
}

/// <summary>A request's operation and the ids its path names.</summary>
internal sealed record ApiRoute(string Operation, string ProjectId, string? RoomId, string? JobId)
{
    /// <summary>
    /// The route of a method and raw path, or null (the gateway's 404 APIGW.0101):
    /// <list type="bullet">
    /// <item>GET  /v1/{p}/smart-live-jobs: ListSmartLiveJobs</item>
    /// <item>GET  /v1/{p}/smart-live-rooms: ListSmartLiveRooms</item>
    /// <item>GET  /v1/{p}/smart-live-rooms/{r}: ShowSmartLiveRoom</item>
    /// <item>GET  /v1/{p}/smart-live-rooms/{r}/smart-live-jobs: ListSmartLive</item>
    /// <item>POST /v1/{p}/smart-live-rooms/{r}/smart-live-jobs: StartSmartLive</item>
    /// <item>GET  /v1/{p}/smart-live-rooms/{r}/smart-live-jobs/{j}: ShowSmartLive</item>
    /// <item>POST /v1/{p}/smart-live-rooms/{r}/smart-live-jobs/{j}/stop: StopSmartLive</item>
    /// <item>POST /v1/{p}/smart-live-rooms/{r}/smart-live-jobs/{j}/command: ExecuteSmartLiveCommand</item>
    /// <item>GET  /v1/{p}/smart-live-rooms/{r}/smart-live-jobs/{j}/command/insert-commands: ListInsertCommands</item>
    /// </list>
    /// A trailing '/' is ignored; segments are percent-decoded.
    /// </summary>
    public static ApiRoute? Match(string method, string rawPath)
    {
        var s = rawPath.TrimEnd('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (s.Length < 4 || s[0].Length != 0 || s[1] != "v1" || s[2].Length == 0 || s.Skip(3).Any(x => x.Length == 0))
        {
            return null;
        }

        string project = s[2];
        bool get = HttpMethods.IsGet(method), post = HttpMethods.IsPost(method);
        switch (s.Length)
        {
            case 4 when get && s[3] == "smart-live-jobs":
                return new ApiRoute(Operations.ListSmartLiveJobs, project, null, null);
            case 4 when get && s[3] == "smart-live-rooms":
                return new ApiRoute(Operations.ListSmartLiveRooms, project, null, null);
            case 5 when get && s[3] == "smart-live-rooms":
                return new ApiRoute(Operations.ShowSmartLiveRoom, project, s[4], null);
            case 6 when (get || post) && s[3] == "smart-live-rooms" && s[5] == "smart-live-jobs":
                return new ApiRoute(get ? Operations.ListSmartLive : Operations.StartSmartLive, project, s[4], null);
            case 7 when get && s[3] == "smart-live-rooms" && s[5] == "smart-live-jobs":
                return new ApiRoute(Operations.ShowSmartLive, project, s[4], s[6]);
            case 8 when post && s[3] == "smart-live-rooms" && s[5] == "smart-live-jobs" && s[7] == "stop":
                return new ApiRoute(Operations.StopSmartLive, project, s[4], s[6]);
            case 8 when post && s[3] == "smart-live-rooms" && s[5] == "smart-live-jobs" && s[7] == "command":
                return new ApiRoute(Operations.ExecuteSmartLiveCommand, project, s[4], s[6]);
            case 9 when get && s[3] == "smart-live-rooms" && s[5] == "smart-live-jobs" && s[7] == "command" && s[8] == "insert-commands":
                return new ApiRoute(Operations.ListInsertCommands, project, s[4], s[6]);
            default:
                return null;
        }
    }
}

/// <summary>
/// Sends each route to the class of its resource: <see cref="RoomsApi"/>, <see cref="JobsApi"/> and, for the
/// live commands (ExecuteSmartLiveCommand, ListInsertCommands), <see cref="CommandsApi"/>.
/// </summary>
internal sealed class Router
{
    private readonly RoomsApi rooms;
    private readonly JobsApi jobs;
    private readonly CommandsApi commands;

    public Router(RoomsApi rooms, JobsApi jobs, CommandsApi commands)
    {
        this.rooms = rooms;
        this.jobs = jobs;
        this.commands = commands;
    }

    public ApiResult Handle(ApiCall call) => call.Route.Operation switch
    {
        Operations.ListSmartLiveRooms => rooms.List(call),
        Operations.ShowSmartLiveRoom => rooms.Show(call),
        Operations.ListSmartLive or Operations.ListSmartLiveJobs => jobs.List(call),
        Operations.ShowSmartLive => jobs.Show(call),
        Operations.StartSmartLive => jobs.Start(call),
        Operations.StopSmartLive => jobs.Stop(call),
        Operations.ExecuteSmartLiveCommand => commands.Execute(call),
        Operations.ListInsertCommands => commands.List(call),
        _ => ApiResult.Error(404, ErrorBodies.GatewayApiNotFound, "The API does not exist or has not been published in the environment"),
    };
}
