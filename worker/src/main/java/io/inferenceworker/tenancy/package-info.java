/**
 * Per-tenant limits, per worker: requests and tokens per minute, a share of the in-flight limit and a cost budget
 * per day ({@code tenants.<name>.*}, {@code tenants.default.*} for every other tenant). The job layer takes a
 * {@link io.inferenceworker.tenancy.TenantTicket} per job and asks it to admit the job before its provider attempts
 * ({@link io.inferenceworker.tenancy.TenantAdmission}); it charges the job's tokens and cost to the tenant after.
 * Depends on the {@code provider} SPI and its rate-limiter building blocks only.
 */
package io.inferenceworker.tenancy;
