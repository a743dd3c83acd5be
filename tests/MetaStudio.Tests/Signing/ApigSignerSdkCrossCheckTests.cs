using System;
using System.Collections.Generic;
using System.Text;
using MetaStudio.Client.Signing;
using Xunit;

namespace MetaStudio.Tests.Signing;

/// <summary>
/// A second, independent source: MetaStudio-shaped signatures produced by the official Python SDK
/// signer, and the Go SDK's query-encoding unit test (recorded in the API reference notes, §3.3).
/// </summary>
public class ApigSignerSdkCrossCheckTests
{
    private const string Host = "metastudio.cn-north-4.myhuaweicloud.com";
    private const string Project = "0123456789abcdef0123456789abcdef";
    private const string Room = "fedcba9876543210fedcba9876543210";
    private const string Job = "00112233445566778899aabbccddeeff";
    private static readonly DateTime SigningTime = new(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void ListSmartLiveMatchesPythonSdk()
    {
        var request = NewRequest("GET", $"/v1/{Project}/smart-live-rooms/{Room}/smart-live-jobs");
        request.Query.Add(new("limit", "10"));
        request.Query.Add(new("offset", "0"));

        AssertSignature(request, "ce3d8bab299b94c8008bf54b7c416f7648f6828c16203aab72e7e8a7b0e1d8c2");
    }

    [Fact]
    public void ListSmartLiveWithAllFiltersMatchesPythonSdk()
    {
        var request = NewRequest("GET", $"/v1/{Project}/smart-live-rooms/{Room}/smart-live-jobs");
        request.Headers.Add(new("Content-Type", "application/json"));
        foreach (var (k, v) in new[] { ("offset", "0"), ("limit", "10"), ("state", "SUCCEED,FAILED"), ("sort_key", "create_time"), ("sort_dir", "desc"), ("create_since", "2024-01-01T00:00:00Z") })
        {
            request.Query.Add(new(k, v));
        }

        Assert.Equal("create_since=2024-01-01T00%3A00%3A00Z&limit=10&offset=0&sort_dir=desc&sort_key=create_time&state=SUCCEED%2CFAILED",
            ApigSigner.CanonicalQueryString(request.Query));
        AssertSignature(request, "979011dc37fcb2cc9f0000b411e62f57c73c543f45f7e2ccfb2758319ab2fce2");
    }

    [Fact]
    public void StopSmartLiveMatchesPythonSdk()
    {
        var request = NewRequest("POST", $"/v1/{Project}/smart-live-rooms/{Room}/smart-live-jobs/{Job}/stop");
        AssertSignature(request, "c3834090be096346ff4e51a5029bf60d805467d72f9008f01d1b391981413262");
    }

    [Fact]
    public void ExecuteSmartLiveCommandMatchesPythonSdk()
    {
        var request = NewRequest("POST", $"/v1/{Project}/smart-live-rooms/{Room}/smart-live-jobs/{Job}/command");
        request.Headers.Add(new("Content-Type", "application/json"));
        request.Body = Encoding.UTF8.GetBytes("{\"command\":\"GET_CURRENT_PLAYING_SCRIPTS\"}");

        var signature = AssertSignature(request, "baff9993dcc0e03ee745c59fa777509ebad267d4b7aad88e1547745e90884870");
        Assert.EndsWith("\nca0cd66e8afde62f31b2ef3367c047f3f5e0def9fa4ab0454630889dc544d67c", signature.CanonicalRequest, StringComparison.Ordinal);
    }

    [Fact]
    public void QueryEncodingMatchesGoSdk()
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("limit", "1"), new("enable", "true"), new("test", "一 (&=?!#%.*)"), new("path", "/tmp/123"),
            new("multi", "1"), new("multi", "2"), new("multi", "3"),
        };

        Assert.Equal("enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29",
            ApigSigner.CanonicalQueryString(query));
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("/v1/p", "/v1/p/")]
    [InlineData("/v1/p/", "/v1/p/")]
    [InlineData("v1/p", "/v1/p/")]
    [InlineData("/a b/c", "/a%20b/c/")]
    [InlineData("/a%20b/c", "/a%20b/c/")]
    [InlineData("/x/urn:fss:1", "/x/urn%3Afss%3A1/")]
    public void CanonicalUriDecodesThenEncodesEachSegmentOnce(string path, string expected)
    {
        Assert.Equal(expected, ApigSigner.CanonicalUri(path));
    }

    private static ApigRequest NewRequest(string method, string path)
    {
        var request = new ApigRequest(method, Host, path);
        request.Headers.Add(new("X-Project-Id", Project));
        return request;
    }

    private static ApigSignature AssertSignature(ApigRequest request, string expectedSignature)
    {
        var signature = ApigSigner.Sign(request, new AkSkCredential("AccessKey", "SecretKey"), SigningTime);
        Assert.EndsWith(", Signature=" + expectedSignature, request.GetHeader("Authorization"), StringComparison.Ordinal);
        return signature;
    }
}
