package io.inferenceworker.cli;

import io.inferenceworker.schemas.Vote;
import io.inferenceworker.schemas.VoteRequest;
import io.inferenceworker.serde.SpecificAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code vote}: a {@link VoteRequest} on the vote request topic; the worker joins it with the job's result. */
@Command(name = "vote", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Votes UP or DOWN on the answer of a job.",
                "Writes a VoteRequest keyed by the job ID.",
                "The worker joins it with the job's result, forwards it to providers that take feedback, and "
                        + "writes a VoteRecord (see: tail votes)."},
        footer = {"%nExample:", "  producer-example vote 3f1c0e2a-... up --comment \"exactly right\""})
final class VoteCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job voted on.")
    String jobId;

    @Parameters(index = "1", paramLabel = "UP|DOWN", converter = VoteConverter.class,
            description = "The vote, in any case.")
    Vote vote;

    @Option(names = "--comment", paramLabel = "TEXT", description = "Why.")
    String comment;

    @Option(names = "--voter", paramLabel = "WHO", description = "Who votes.")
    String voter;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Echoed on the VoteRecord. Repeatable.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Override
    int run() throws Exception {
        VoteRequest request = VoteRequest.newBuilder()
                .setJobId(jobId)
                .setVote(vote)
                .setComment(comment)
                .setVoter(voter)
                .setVotedAt(clock().instant())
                .setMetadata(Map.copyOf(metadata))
                .build();
        KafkaClients clients = clients();
        clients.requireKafka();
        try (SpecificAvroSerializer<VoteRequest> serializer = clients.serializer();
             KafkaProducer<byte[], byte[]> producer = clients.producer()) {
            producer.send(new ProducerRecord<>(kafka.voteRequestsTopic, jobId.getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(kafka.voteRequestsTopic, request)))
                    .get(clients.connectTimeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
        }
        out().println("vote " + vote + " on job " + jobId + " sent to " + kafka.voteRequestsTopic);
        return ExitCodes.OK;
    }

    /** UP or DOWN, in any case. */
    static final class VoteConverter implements ITypeConverter<Vote> {
        @Override
        public Vote convert(String value) {
            try {
                return Vote.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a vote: use UP or DOWN");
            }
        }
    }
}
