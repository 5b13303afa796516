package io.inferenceworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class CompletedOffsetsTest {
    private static final Uuid TOPIC = Uuid.randomUuid();

    private static List<long[]> ranges(OffsetRanges r) {
        List<long[]> out = new ArrayList<>();
        r.forEachFrom(0, (a, b) -> out.add(new long[] {a, b}));
        return out;
    }

    @Test
    void roundTripsTopicOffsetAndRangesMergingAdjacentOnes() {
        CompletedOffsets.Encoder e = CompletedOffsets.encoder(TOPIC, 1_000);
        e.add(1_002, 1_040);
        e.add(1_041, 1_041); // adjacent: merged
        e.add(1_045, 1_045);
        String metadata = e.finish();
        assertThat(metadata).isEqualTo("iw2:" + TOPIC + ":1000:2-41,45");
        CompletedOffsets.Claim claim = CompletedOffsets.decode(metadata).orElseThrow();
        assertThat(claim.topicId()).isEqualTo(TOPIC);
        assertThat(claim.offset()).isEqualTo(1_000);
        assertThat(ranges(claim.completed())).containsExactly(new long[] {1_002, 1_041}, new long[] {1_045, 1_045});
    }

    @Test
    void staysUnderTheBrokersMetadataLimitAndDropsOnlyTheHighestRanges() {
        CompletedOffsets.Encoder e = CompletedOffsets.encoder(TOPIC, 0);
        int added = 0;
        for (long o = 1; o < 200_000; o += 2) { // every other offset: 100,000 ranges
            if (!e.add(o, o)) {
                break;
            }
            added++;
        }
        String metadata = e.finish();
        assertThat(metadata.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(CompletedOffsets.MAX_LENGTH).isLessThan(4_096);
        OffsetRanges decoded = CompletedOffsets.decode(metadata).orElseThrow().completed();
        assertThat(decoded.rangeCount()).isBetween(added - 1, added).isGreaterThan(100);
        assertThat(decoded.contains(1)).isTrue();
        assertThat(decoded.contains(2)).isFalse();
        assertThat(decoded.contains(199_999)).as("past the cap: replayed, not skipped").isFalse();
    }

    @Test
    void aHugeRangeDecodesAsOneRangeNotAsOffsets() {
        String metadata = "iw2:" + TOPIC + ":5:1-9000000000";
        OffsetRanges decoded = CompletedOffsets.decode(metadata).orElseThrow().completed();
        assertThat(decoded.rangeCount()).isOne();
        assertThat(decoded.contains(9_000_000_005L)).isTrue();
        assertThat(decoded.contains(9_000_000_006L)).isFalse();
    }

    @Test
    void legacyForeignAndMalformedMetadataIsIgnored() {
        for (String m : new String[] {null, "", "iw1:2-40,45", "some other tool's metadata", "iw2:x:5:1",
                "iw2:" + TOPIC + ":5", "iw2:" + TOPIC + ":-5:1", "iw2:" + TOPIC + ":5:0-3", // 0: the commit itself
                "iw2:" + TOPIC + ":5:4-9,7", "iw2:" + TOPIC + ":5:3-2", "iw2:" + TOPIC + ":5:x-y",
                "iw2:" + TOPIC + ":5:1,", "iw2:" + TOPIC + ":" + Long.MAX_VALUE + ":1"}) {
            assertThat(CompletedOffsets.decode(m)).as(m).isEmpty();
        }
        assertThat(CompletedOffsets.decode("iw2:" + TOPIC + ":5:")).isPresent();
    }

    @Test
    void theClaimIsTrustedOnlyForTheSameTopicTheSameOffsetAndAnUnmovedPosition() {
        String metadata = "iw2:" + TOPIC + ":100:2-5";
        OffsetAndMetadata committed = new OffsetAndMetadata(100, Optional.of(0), metadata);

        assertThat(Resume.decide(committed, TOPIC, OptionalLong.of(100))).isInstanceOf(Resume.Trusted.class);

        Uuid recreated = Uuid.randomUuid();
        assertThat(Resume.decide(committed, recreated, OptionalLong.of(100)))
                .as("a topic recreated under the same name").isEqualTo(new Resume.FromBeginning(TOPIC));
        assertThat(Resume.decide(committed, TOPIC, OptionalLong.of(0)))
                .as("position reset (out of range) or truncation detected").isInstanceOf(Resume.Replay.class);
        assertThat(Resume.decide(committed, TOPIC, OptionalLong.empty())).isInstanceOf(Resume.Replay.class);
        assertThat(Resume.decide(new OffsetAndMetadata(90, metadata), TOPIC, OptionalLong.of(90)))
                .as("offset moved by a tool, metadata kept").isInstanceOf(Resume.Replay.class);
        assertThat(Resume.decide(committed, null, OptionalLong.of(100)))
                .as("topic ID unknown").isEqualTo(new Resume.Replay(100, "topic ID unknown"));
        assertThat(Resume.decide(new OffsetAndMetadata(100, "iw1:2-5"), TOPIC, OptionalLong.of(100)))
                .isInstanceOf(Resume.Replay.class);
        assertThat(Resume.decide(null, TOPIC, OptionalLong.of(0))).isInstanceOf(Resume.Replay.class);
    }
}
