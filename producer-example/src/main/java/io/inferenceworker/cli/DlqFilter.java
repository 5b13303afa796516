package io.inferenceworker.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine.Option;

/**
 * Which dead letters {@code dlq} lists and {@code dlq replay} replays; every given criterion must match. Times
 * compare with when a record was dead-lettered. Populated by picocli.
 */
final class DlqFilter {

    @Option(names = "--job-id", paramLabel = "ID", split = ",", description = "Only these jobs. Repeatable.")
    List<String> jobIds = new ArrayList<>();

    @Option(names = "--error-class", paramLabel = "CLASS",
            description = "Only this exception class (fully qualified, or the simple name).")
    String errorClass;

    @Option(names = "--error-code", paramLabel = "CODE", description = "Only this error code (e.g. invalid_request).")
    String errorCode;

    @Option(names = "--stage", paramLabel = "STAGE",
            description = "Only this stage: decode, validate, provider, publish, join.")
    String stage;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Dead-lettered at or after TIME: ISO-8601, or a duration ago (1h, 30m).")
    String since;

    @Option(names = "--until", paramLabel = "TIME",
            description = "Dead-lettered before TIME: ISO-8601, or a duration ago (10m).")
    String until;

    boolean isEmpty() {
        return jobIds.isEmpty() && errorClass == null && errorCode == null && stage == null && since == null
                && until == null;
    }

    /**
     * @throws InputException if a time cannot be parsed
     */
    Predicate<DeadLetter> predicate(Instant now) {
        Instant from = since == null ? null : Times.parseInstant(since, now, Times.Direction.PAST);
        Instant to = until == null ? null : Times.parseInstant(until, now, Times.Direction.PAST);
        return letter -> (jobIds.isEmpty() || letter.jobId().filter(jobIds::contains).isPresent())
                && (errorClass == null || letter.exceptionClass().filter(this::sameClass).isPresent())
                && (errorCode == null || letter.errorCode().filter(errorCode::equals).isPresent())
                && (stage == null || letter.stage().filter(stage::equalsIgnoreCase).isPresent())
                && (from == null || !letter.deadLetteredAt().isBefore(from))
                && (to == null || letter.deadLetteredAt().isBefore(to));
    }

    private boolean sameClass(String className) {
        return className.equals(errorClass) || className.endsWith("." + errorClass) || className.endsWith("$" + errorClass);
    }
}
