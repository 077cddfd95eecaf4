package io.keyfleet.sandbox.pool;

import java.math.BigDecimal;

/** An upstream account the resource-pool API serves. The secret is the sandbox's copy: it plays the upstream platform. */
public record PoolAccount(String memberId, String apiSecret, String authorizedIps, String currency, BigDecimal balance,
                          BigDecimal creditLimit, int catalogSize, long seed) {

    @Override
    public String toString() {
        return "PoolAccount[" + memberId + "]";
    }
}
