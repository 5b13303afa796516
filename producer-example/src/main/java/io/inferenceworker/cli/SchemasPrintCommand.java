package io.inferenceworker.cli;

import io.inferenceworker.schemas.SelfContainedSchemas;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code schemas print}: the self-contained schema of one record, as shipped in the schemas jar. Offline. */
@Command(name = "print", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the self-contained Avro schema of a record (pretty JSON, every named type inlined).",
                "Needs neither Kafka nor the registry. The text equals the schemas jar's "
                        + "self-contained/<Record>.avsc."},
        footer = {"%nExamples:", "  producer-example schemas print CompletionRequest > CompletionRequest.avsc",
                "  producer-example schemas print results"})
final class SchemasPrintCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECORD", description = "A record name (CompletionRequest, "
            + "CompletionResult, UsageRecord, CompletionChunk, VoteRequest, VoteRecord; any case) or a topic label "
            + "(requests, results, ...).")
    String record;

    @Override
    public Integer call() {
        TopicKind kind = SchemaTopics.byRecordName(record)
                .or(() -> SchemaTopics.byLabel(record))
                .orElseThrow(() -> new ParameterException(spec.commandLine(), "unknown record '" + record
                        + "', expected one of " + SchemaTopics.recordNames()));
        spec.commandLine().getOut().print(SelfContainedSchemas.pretty(SchemaTopics.schemaOf(kind)));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
