package io.inferenceworker.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The six top-level contracts published on topics, each with a fully populated fixture and the schema of its
 * previous release ({@code src/test/resources/previous/<Record>.avsc}). Adding a top-level record means adding
 * a constant here and cutting its first "previous" file (see {@link SchemaContractTest}).
 */
enum TopLevelContract {
    COMPLETION_REQUEST(CompletionRequest.class, ContractFixtures::completionRequest),
    COMPLETION_RESULT(CompletionResult.class, ContractFixtures::completionResult),
    COMPLETION_CHUNK(CompletionChunk.class, ContractFixtures::completionChunk),
    USAGE_RECORD(UsageRecord.class, ContractFixtures::usageRecord),
    VOTE_REQUEST(VoteRequest.class, ContractFixtures::voteRequest),
    VOTE_RECORD(VoteRecord.class, ContractFixtures::voteRecord);

    /** Classpath folder of the previous release's self-contained schemas. */
    static final String PREVIOUS_RELEASE_FOLDER = "previous";

    private final Class<? extends SpecificRecordBase> type;
    private final Supplier<? extends SpecificRecordBase> fixture;

    TopLevelContract(Class<? extends SpecificRecordBase> type, Supplier<? extends SpecificRecordBase> fixture) {
        this.type = type;
        this.fixture = fixture;
    }

    Class<? extends SpecificRecordBase> type() {
        return type;
    }

    /** The schema compiled into the generated class: fully resolved, nested types inlined. */
    Schema current() {
        return SpecificData.getForClass(type).getSchema(type);
    }

    /** A new, fully populated instance. */
    SpecificRecordBase fixture() {
        return fixture.get();
    }

    /** Simple record name, also the file name (without {@code .avsc}) of its previous release. */
    String recordName() {
        return type.getSimpleName();
    }

    String previousReleaseResource() {
        return PREVIOUS_RELEASE_FOLDER + "/" + recordName() + ".avsc";
    }

    /**
     * Parses the previous release with a fresh parser, which proves the file is self-contained.
     *
     * @throws IllegalStateException if the file is missing
     */
    Schema previous() {
        try (InputStream in = TopLevelContract.class.getClassLoader().getResourceAsStream(previousReleaseResource())) {
            if (in == null) {
                throw new IllegalStateException("No previous release of " + recordName() + " on the classpath at "
                        + previousReleaseResource() + "; cut one as SchemaContractTest explains");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + previousReleaseResource(), e);
        }
    }
}
