package io.inferenceworker.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlq replay}: sends selected dead letters back to the request topic as they were first produced: the
 * original key, value and headers, without the {@code __connect.errors.*} ones.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Replays dead letters to the request topic.",
                "Sends the original key, value and headers, without the __connect.errors.* headers. Select the "
                        + "dead letters with the filters, or all of them with --all.",
                "A replayed job that fails again is dead-lettered again."},
        footer = {"%nExamples:", "  producer-example dlq replay --job-id 3f1c0e2a-...",
                "  producer-example dlq replay --error-class ProviderException --dry-run",
                "  producer-example dlq replay --since 2h --until 1h"})
final class DlqReplayCommand extends CliCommand {

    @Mixin
    DlqFilter filter;

    @Option(names = "--all", description = "Replay every dead letter (when no filter is given).")
    boolean all;

    @Option(names = "--dry-run", description = "Only list what would be replayed.")
    boolean dryRun;

    @Override
    int run() throws Exception {
        if (filter.isEmpty() && !all) {
            throw new InputException("select dead letters with --job-id, --error-class, --error-code, --stage, "
                    + "--since or --until, or replay every one with --all");
        }
        var selected = filter.predicate(clock().instant());
        KafkaClients clients = clients();
        clients.requireKafka();
        List<DeadLetter> letters = DeadLetterReader.readAll(clients, kafka.deadLettersTopic, DlqCommand.READ_TIMEOUT)
                .stream().filter(selected).toList();
        if (dryRun) {
            letters.forEach(letter -> out().println("would replay job " + letter.jobId().orElse("?") + " from "
                    + letter.position()));
            out().println(letters.size() + " dead letters would be replayed to " + kafka.requestsTopic);
            return ExitCodes.OK;
        }
        try (KafkaProducer<byte[], byte[]> producer = clients.producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (DeadLetter letter : letters) {
                sent.add(producer.send(new ProducerRecord<>(kafka.requestsTopic, null, letter.record().key(),
                        letter.record().value(), letter.originalHeaders())));
            }
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata written = sent.get(i).get(clients.connectTimeout().toMillis() + 30_000,
                        TimeUnit.MILLISECONDS);
                out().println("replayed job " + letters.get(i).jobId().orElse("?") + " from "
                        + letters.get(i).position() + " to " + written.topic() + "-" + written.partition() + "@"
                        + written.offset());
            }
        }
        out().println(letters.size() + " dead letters replayed to " + kafka.requestsTopic);
        return ExitCodes.OK;
    }
}
