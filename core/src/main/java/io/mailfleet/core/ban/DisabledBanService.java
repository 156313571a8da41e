package io.mailfleet.core.ban;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The ban list when Fail2ban is off ({@code ENABLE_FAIL2BAN=0}): nothing is counted or banned. */
public final class DisabledBanService implements BanService {

    private final BanPolicy policy;

    public DisabledBanService(BanPolicy policy) {
        this.policy = policy;
    }

    @Override
    public CompletionStage<FailureReport> reportFailure(String ip, String protocol, String reason) {
        // Fail2ban disabled: failures are only logged by the protocol.
        return CompletableFuture.completedFuture(FailureReport.NOT_COUNTED);
    }

    @Override
    public boolean isBanned(InetAddress address) {
        return false;
    }

    @Override
    public BlockType blockType() {
        return policy.blockType();
    }

    @Override
    public CompletionStage<Ban> ban(String ipOrNetwork, boolean force) {
        return CompletableFuture.failedFuture(disabled());
    }

    @Override
    public CompletionStage<List<Jail>> unban(String ipOrNetwork) {
        return CompletableFuture.failedFuture(disabled());
    }

    @Override
    public CompletionStage<List<Ban>> bans() {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public BanPolicy policy() {
        return policy;
    }

    private static BanException disabled() {
        return new BanException("disabled", "Fail2ban is disabled: set ENABLE_FAIL2BAN=1 (mailfleet.fail2ban.enabled = true)");
    }
}
