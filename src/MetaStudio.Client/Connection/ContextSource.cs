namespace MetaStudio.Client.Connection;

/// <summary>Where a setting of a connection came from.</summary>
public enum ContextSource
{
    /// <summary>A parameter of Connect-MSAccount.</summary>
    Parameter,

    /// <summary>An environment variable (HUAWEICLOUD_SDK_*, CLOUD_SDK_*).</summary>
    Environment,

    /// <summary>The profile file (~/.huaweicloud/credentials or HUAWEICLOUD_SDK_CREDENTIALS_FILE).</summary>
    ProfileFile,

    /// <summary>The module's default (region cn-north-4).</summary>
    Default,

    /// <summary>The endpoint table of the region.</summary>
    Region,

    /// <summary>The regions file (~/.huaweicloud/regions.yaml or HUAWEICLOUD_SDK_REGIONS_FILE).</summary>
    RegionsFile,
}

/// <summary>How requests are authenticated.</summary>
public enum AuthType
{
    /// <summary>Permanent access key pair, SDK-HMAC-SHA256 signature.</summary>
    AkSk,

    /// <summary>Temporary access key pair with a security token (signed X-Security-Token).</summary>
    TemporaryAkSk,

    /// <summary>IAM token sent as X-Auth-Token.</summary>
    Token,
}
