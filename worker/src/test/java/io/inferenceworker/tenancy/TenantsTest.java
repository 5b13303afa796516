package io.inferenceworker.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.Usage;
import io.inferenceworker.testkit.MutableClock;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class TenantsTest {
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final CompletionRequest REQUEST = CompletionRequest.newBuilder().setJobId("j").setProvider("p")
            .setMaxTokens(100).setMessages(List.of(Message.newBuilder().setRole(Role.USER).setContent("hi").build()))
            .build();

    private static Tenants tenants(Map<String, TenantLimits> limits, int inFlightLimit) {
        return new Tenants(limits, inFlightLimit, Clock.systemUTC());
    }

    @Test
    void aTenantHoldsAtMostItsShareOfTheInFlightLimitWhileOthersKeepTheirs() {
        Tenants tenants = tenants(Map.of("batch", TenantLimits.NONE.withInFlightShare(0.25)), 8);
        TenantTicket first = tenants.ticket("batch");
        TenantTicket second = tenants.ticket("batch");
        TenantTicket third = tenants.ticket("batch");
        assertThat(first.admit(REQUEST, WINDOW)).isEqualTo(new TenantAdmission.Admitted(Duration.ZERO));
        assertThat(second.admit(REQUEST, WINDOW)).isEqualTo(new TenantAdmission.Admitted(Duration.ZERO));
        assertThat(third.admit(REQUEST, WINDOW)).isInstanceOfSatisfying(TenantAdmission.Refused.class, r -> {
            assertThat(r.code()).isEqualTo(TenantAdmission.BACKLOG_FULL);
            assertThat(r.retryable()).isTrue();
            assertThat(r.reason()).contains("tenant batch already has 2 jobs in flight");
        });
        // Another tenant (the default limits: none) is not affected.
        for (int i = 0; i < 8; i++) {
            assertThat(tenants.ticket("interactive").admit(REQUEST, WINDOW))
                    .isInstanceOf(TenantAdmission.Admitted.class);
        }
        third.close();
        first.close();
        first.close(); // idempotent: frees one place only
        assertThat(tenants.ticket("batch").admit(REQUEST, WINDOW)).isInstanceOf(TenantAdmission.Admitted.class);
        assertThat(tenants.ticket("batch").admit(REQUEST, WINDOW)).isInstanceOf(TenantAdmission.Refused.class);
    }

    @Test
    void rateLimitedJobsAreToldHowLongToWaitOrRefusedWhenThatIsLongerThanTheyCan() {
        Tenants tenants = tenants(Map.of("slow", TenantLimits.NONE.withRequestsPerMinute(60)), 100);
        TenantTicket first = tenants.ticket("slow");
        assertThat(first.admit(REQUEST, WINDOW)).isEqualTo(new TenantAdmission.Admitted(Duration.ZERO));
        // Admitted once: a routed job's next hop is not charged again.
        assertThat(first.admit(REQUEST, WINDOW)).isEqualTo(new TenantAdmission.Admitted(Duration.ZERO));
        TenantAdmission second = tenants.ticket("slow").admit(REQUEST, WINDOW);
        assertThat(second).isInstanceOfSatisfying(TenantAdmission.Admitted.class,
                a -> assertThat(a.dueIn()).isBetween(Duration.ofMillis(1), Duration.ofSeconds(1)));
        TenantAdmission impatient = tenants.ticket("slow").admit(REQUEST, Duration.ofMillis(1));
        assertThat(impatient).isInstanceOfSatisfying(TenantAdmission.Refused.class, r -> {
            assertThat(r.code()).isEqualTo(TenantAdmission.RATE_LIMITED);
            assertThat(r.retryable()).isTrue();
        });
        // Other tenants are not limited by slow's limit.
        assertThat(tenants.ticket("other").admit(REQUEST, Duration.ZERO))
                .isEqualTo(new TenantAdmission.Admitted(Duration.ZERO));
    }

    @Test
    void theDailyBudgetRefusesJobsOnceSpentAndRenewsTheNextDayUtc() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T23:59:00Z"));
        Tenants tenants = new Tenants(Map.of("capped", TenantLimits.NONE.withDailyBudget(0.01)), 100, clock);
        try (TenantTicket ticket = tenants.ticket("capped")) {
            assertThat(ticket.admit(REQUEST, WINDOW)).isInstanceOf(TenantAdmission.Admitted.class);
            ticket.charge(new Usage(10, 10, 20, null, null, null), () -> OptionalDouble.of(0.012));
        }
        assertThat(tenants.ticket("capped").admit(REQUEST, WINDOW))
                .isInstanceOfSatisfying(TenantAdmission.Refused.class, r -> {
                    assertThat(r.code()).isEqualTo(TenantAdmission.BUDGET_EXCEEDED);
                    assertThat(r.retryable()).isFalse();
                    assertThat(r.reason()).contains("0.012000 of its daily budget of 0.010000");
                });
        clock.set(Instant.parse("2026-12-08T00:00:01Z"));
        assertThat(tenants.ticket("capped").admit(REQUEST, WINDOW)).isInstanceOf(TenantAdmission.Admitted.class);
    }

    @Test
    void tenantBlocksInheritTheDefaultBlocksLimitsAndInvalidOnesStopTheStart() {
        Map<String, Object> p = Map.of(
                "worker.enabled", "false", "votes.enabled", "false", "worker.in-flight-limit", 10,
                "tenants.default.requests-per-minute", 600,
                "tenants.default.in-flight-share", 0.5,
                "tenants.team-a.daily-budget", 2.5,
                "tenants.team-b.in-flight-share", 1);
        try (ApplicationContext context = ApplicationContext.run(p)) {
            Tenants tenants = context.getBean(Tenants.class);
            // team-a: its budget, default's rate and share; 5 of 10 places.
            List<TenantTicket> a = java.util.stream.IntStream.range(0, 6).mapToObj(i -> tenants.ticket("team-a"))
                    .toList();
            assertThat(a.stream().limit(5).map(t -> t.admit(REQUEST, WINDOW)))
                    .allMatch(TenantAdmission.Admitted.class::isInstance);
            assertThat(a.get(5).admit(REQUEST, WINDOW)).isInstanceOf(TenantAdmission.Refused.class);
            assertThat(tenants.ticket(null).tenant()).isEqualTo("default");
            assertThat(tenants.ticket("Team_A").tenant()).as("matched as the block's name is bound").isEqualTo("team-a");
        }
        Map<String, Object> bad = Map.of("worker.enabled", "false", "votes.enabled", "false",
                "tenants.default.in-flight-share", 0, "tenants.team-a.tokens-per-minute", 10);
        try (ApplicationContext context = ApplicationContext.run(bad)) {
            assertThatThrownBy(() -> context.getBean(Tenants.class)).isInstanceOf(BeanInstantiationException.class)
                    .rootCause().isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("tenants.default.in-flight-share must be > 0 and <= 1, was 0.0")
                    .hasMessageContaining("tenants.team-a.tokens-per-minute must be 0 (unlimited) or >= 60, was 10");
        }
    }
}
