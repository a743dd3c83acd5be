using System;
using System.Net;
using MetaStudio.Client.Connection;

namespace MetaStudio.Client.Http;

/// <summary>
/// The system proxy (HTTP_PROXY, HTTPS_PROXY and NO_PROXY, or the OS settings), except that a loopback
/// endpoint is never proxied: a request to the local emulator over plain http would otherwise carry its
/// signature and tokens to the proxy in clear text. https endpoints keep going through the proxy's CONNECT.
/// </summary>
internal sealed class LoopbackBypassProxy : IWebProxy
{
    private readonly IWebProxy? inner;

    public LoopbackBypassProxy(IWebProxy? inner) => this.inner = inner;

    public ICredentials? Credentials
    {
        get => inner?.Credentials;
        set
        {
            if (inner != null)
            {
                inner.Credentials = value;
            }
        }
    }

    public Uri? GetProxy(Uri destination) =>
        ContextResolver.IsLoopback(destination) ? null : inner?.GetProxy(destination);

    public bool IsBypassed(Uri host) =>
        ContextResolver.IsLoopback(host) || inner is null || inner.IsBypassed(host);
}
