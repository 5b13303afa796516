package io.inferenceworker.cli;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.serde.SpecificAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code send}: one job. Prints its ID; with {@code --wait} also its result (and, with {@code --stream}, the answer
 * as it streams) and exits with the job's outcome.
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Sends one completion job to the request topic and prints its job ID.",
                "With --wait, prints the result (and the streamed answer with --stream) and exits 0 only if the job "
                        + "SUCCEEDED."},
        footer = {"%nExamples:",
                "  producer-example send -p vultr -m kimi-k2-instruct --wait \"Say hello\"",
                "  producer-example send -p openai --stream --wait \"Tell me about Kafka\"",
                "  producer-example send --file request.json --wait --timeout 5m"})
final class SendCommand extends CliCommand {

    @Mixin
    RequestOptions request;

    @Option(names = {"-w", "--wait"}, description = "Wait for the result and print it.")
    boolean waitForResult;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "120s",
            converter = DurationConverter.class,
            description = "With --wait: give up (exit code 3) after this long. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Option(names = "--json", description = "With --wait: print the result as one line of JSON (and no streamed text).")
    boolean json;

    @Option(names = "--header", paramLabel = "KEY=VALUE",
            description = "A Kafka record header (e.g. traceparent=...), passed on to every output. Repeatable.")
    Map<String, String> headers = new LinkedHashMap<>();

    @Override
    int run() throws Exception {
        CompletionRequest job = request.build(clock(), System.in);
        KafkaClients clients = clients();
        clients.requireKafka();
        try (ResultWaiter waiter = waitForResult ? ResultWaiter.open(clients, kafka, job.getStream(), clock()) : null) {
            send(clients, job);
            out().println(job.getJobId());
            out().flush();
            if (waiter == null) {
                return ExitCodes.OK;
            }
            ChunkPrinter chunks = new ChunkPrinter(out());
            Optional<CompletionResult> result = waiter.await(job.getJobId(), timeout, json ? chunk -> { } : chunks);
            boolean streamed = chunks.finish();
            if (result.isEmpty()) {
                err().println("error: no result for job " + job.getJobId() + " within " + Times.human(timeout)
                        + " (is a worker running on " + kafka.requestsTopic + "?)");
                return ExitCodes.TIMEOUT;
            }
            if (json) {
                out().println(AvroToJson.toJson(result.get()));
            } else {
                ResultPrinter.print(result.get(), out(), streamed);
            }
            return result.get().getStatus() == CompletionStatus.SUCCEEDED ? ExitCodes.OK : ExitCodes.JOB_FAILED;
        }
    }

    private void send(KafkaClients clients, CompletionRequest job) throws Exception {
        try (SpecificAvroSerializer<CompletionRequest> serializer = clients.serializer();
             KafkaProducer<byte[], byte[]> producer = clients.producer()) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(kafka.requestsTopic,
                    job.getJobId().getBytes(StandardCharsets.UTF_8), serializer.serialize(kafka.requestsTopic, job));
            headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get(clients.connectTimeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
        }
    }
}
