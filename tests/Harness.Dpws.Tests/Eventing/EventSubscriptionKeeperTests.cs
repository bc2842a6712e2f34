using Harness.Dpws.Eventing;
using Harness.Dpws.Soap;
using Harness.Dpws.Tests.Http;

namespace Harness.Dpws.Tests.Eventing;

/// <summary>A subscription kept alive over time: renewed at 80 % of what was granted, unsubscribed on dispose, on one fake clock.</summary>
public sealed class EventSubscriptionKeeperTests
{
    private static SubscribeRequest Request(EventingRig rig, string expires = "PT10M") => new()
    {
        NotifyTo = new WsaEndpointReference(rig.Sink.Address.ToString()),
        EndTo = new WsaEndpointReference(rig.Sink.Address.ToString()),
        Expires = expires,
        Filter = EventingFilter.ForActions(EventingRig.JobStatus),
    };

    private static Task<EventSubscriptionKeeper> KeepAsync(EventingRig rig, bool renew = true, string expires = "PT10M") =>
        EventSubscriptionKeeper.SubscribeAsync(rig.Eventing, rig.Service, Request(rig, expires), new EventSubscriptionKeeperOptions { Renew = renew }, rig.Time, TestKit.Timeout());

    private static Task<T> Next<T>(Action<EventHandler<T>> subscribe)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe((_, e) => completion.TrySetResult(e));
        return completion.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData(600, 480)]
    [InlineData(3600, 2880)]
    [InlineData(5, 4)]
    [InlineData(1, 1)]
    [InlineData(0.5, 1)]
    public void RenewDelay_Granted_EightyPercentNotBelowOneSecond(double grantedSeconds, double expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), EventSubscriptionKeeper.RenewDelay(TimeSpan.FromSeconds(grantedSeconds)));
    }

    [Fact]
    public async Task Renew_EightyPercentOfTenMinutesPassed_RenewsAndTheSourceExtendsTheSubscription()
    {
        await using var rig = await EventingRig.StartAsync();
        await using var keeper = await KeepAsync(rig);
        var renewed = Next<EventingStatus>(h => keeper.Renewed += h);

        rig.Time.Advance(TimeSpan.FromMinutes(8));
        var status = await renewed;

        Assert.Equal("PT10M", status.Expires);
        Assert.Equal(1, keeper.Renewals);
        Assert.Equal(EventingRig.Start + TimeSpan.FromMinutes(18), Assert.Single(rig.Manager.Subscriptions).ExpiresAt);
        Assert.Equal(EventingRig.Start + TimeSpan.FromMinutes(18), keeper.ExpiresAt);

        // The next renewal is due 8 minutes after the first.
        var again = Next<EventingStatus>(h => keeper.Renewed += h);
        rig.Time.Advance(TimeSpan.FromMinutes(8));
        await again;
        Assert.Equal(2, keeper.Renewals);
        Assert.Equal(EventingRig.Start + TimeSpan.FromMinutes(26), Assert.Single(rig.Manager.Subscriptions).ExpiresAt);
    }

    [Fact]
    public async Task Renew_SourceForgotTheSubscription_UnableToRenewEndsTheKeeperWithoutRetry()
    {
        await using var rig = await EventingRig.StartAsync();
        await using var keeper = await KeepAsync(rig);
        Assert.True(await rig.Manager.CancelAsync(keeper.Subscription.Identifier!, "maintenance", TestKit.Timeout()));
        var failed = Next<EventRenewalFailure>(h => keeper.RenewFailed += h);

        rig.Time.Advance(TimeSpan.FromMinutes(8));
        var failure = await failed;

        var fault = Assert.IsType<SoapFaultException>(failure.Error);
        Assert.Equal("UnableToRenew", fault.Subcode?.LocalName);
        Assert.False(failure.WillRetry);
        Assert.True(keeper.Ended);
    }

    [Fact]
    public async Task Dispose_LiveSubscription_Unsubscribes()
    {
        await using var rig = await EventingRig.StartAsync();
        var keeper = await KeepAsync(rig);
        Assert.Single(rig.Manager.Subscriptions);

        await keeper.DisposeAsync();

        Assert.Empty(rig.Manager.Subscriptions);
        Assert.Equal(SubscriptionEndReason.Unsubscribed, Assert.Single(rig.Ended).Reason);
    }

    [Fact]
    public async Task Dispose_AfterMarkEnded_SendsNoUnsubscribe()
    {
        await using var rig = await EventingRig.StartAsync();
        var keeper = await KeepAsync(rig);

        keeper.MarkEnded();
        await keeper.DisposeAsync();

        // The source was told nothing: the subscription is still there (a real source would have ended it itself).
        Assert.Single(rig.Manager.Subscriptions);
        Assert.Empty(rig.Ended);
    }

    [Fact]
    public async Task UnsubscribeAsync_Twice_SecondIsANoOp()
    {
        await using var rig = await EventingRig.StartAsync();
        await using var keeper = await KeepAsync(rig, renew: false);

        Assert.True(await keeper.UnsubscribeAsync(TestKit.Timeout()));
        Assert.False(await keeper.UnsubscribeAsync(TestKit.Timeout()));
        Assert.Empty(rig.Manager.Subscriptions);
    }

    [Fact]
    public async Task Subscribe_GrantedExpires_ExpiresAtOnTheKeepersClock()
    {
        await using var rig = await EventingRig.StartAsync();
        await using var keeper = await KeepAsync(rig, renew: false, expires: "PT90S");

        Assert.Equal(EventingRig.Start + TimeSpan.FromSeconds(90), keeper.ExpiresAt);
    }
}
