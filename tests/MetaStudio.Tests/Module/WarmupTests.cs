using MetaStudio.Client;
using Xunit;

namespace MetaStudio.Tests.Module;

/// <summary>The import-time warm-up (a runbook's cold start): it must exercise the real code, not fail quietly.</summary>
public class WarmupTests
{
    [Fact]
    public void TheWarmUpPageParsesWithTheCurrentModelsAndSigns()
    {
        // Run() swallows failures (it is only an optimisation); a sample the models no longer accept
        // would silently stop warming anything, so the failure is checked here.
        Assert.Null(Warmup.RunOnce());
    }
}
