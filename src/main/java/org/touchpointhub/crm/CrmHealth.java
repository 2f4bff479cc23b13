package org.touchpointhub.crm;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The CRM of record as {@code /actuator/health} shows it ({@code components.crm}): UP while the hub holds a session
 * and the last call went through, DOWN with the last error (never a secret) while it cannot write, and whether
 * delivery is paused and until when. The readiness probe does not include it: the hub keeps accepting events while
 * the CRM is down.
 */
final class CrmHealth implements HealthIndicator {

    private final String crm;
    private final BooleanSupplier connected;
    private final Supplier<String> lastError;
    private final DeliveryLoop loop;
    private final CrmAdapter adapter;

    CrmHealth(String crm, BooleanSupplier connected, Supplier<String> lastError, DeliveryLoop loop, CrmAdapter adapter) {
        this.crm = crm;
        this.connected = connected;
        this.lastError = lastError;
        this.loop = loop;
        this.adapter = adapter;
    }

    @Override
    public Health health() {
        String error = lastError.get();
        boolean up = connected.getAsBoolean();
        Health.Builder health = error != null ? Health.down() : up ? Health.up() : Health.unknown();
        health.withDetail("crm", crm).withDetail("connected", up);
        if (error != null) {
            health.withDetail("lastError", error);
        }
        double usage = adapter.apiUsage();
        if (usage >= 0) {
            health.withDetail("apiUsage", Math.round(usage * 1000) / 1000.0);
        }
        loop.pausedUntil().ifPresent(until -> health.withDetail("deliveryPausedUntil", until.toString())
                .withDetail("pauseReason", String.valueOf(loop.pauseReason())));
        return health.build();
    }
}
