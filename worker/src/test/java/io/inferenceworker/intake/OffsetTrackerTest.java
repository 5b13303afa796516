package io.inferenceworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    @Test
    void commitsOnlyTheHighestContiguousCompletedOffset() {
        OffsetTracker t = new OffsetTracker(-1, Set.of());
        List.of(10L, 11L, 12L, 13L).forEach(t::delivered);
        t.completed(11);
        t.completed(13);
        assertThat(t.commitContiguous()).isEmpty();
        t.completed(10);
        assertThat(t.commitContiguous()).isEqualTo(OptionalLong.of(12));
        t.markCommitted(12);
        assertThat(t.completedBeyond()).containsExactly(13L);
        t.completed(12);
        assertThat(t.commitContiguous()).isEqualTo(OptionalLong.of(14));
        assertThat(t.inFlight()).isZero();
    }

    @Test
    void offsetsMissingFromThePartitionDoNotBlockCommits() {
        // compaction and transaction markers leave holes in the offsets actually delivered
        OffsetTracker t = new OffsetTracker(-1, Set.of());
        List.of(3L, 7L, 9L).forEach(t::delivered);
        t.completed(3);
        t.completed(7);
        t.completed(9);
        assertThat(t.commitContiguous()).isEqualTo(OptionalLong.of(10));
    }

    @Test
    void recordsCompletedByAnEarlierOwnerAreSkippedAndCountAsComplete() {
        OffsetTracker t = new OffsetTracker(20, Set.of(22L, 23L));
        assertThat(t.delivered(20)).isFalse();
        assertThat(t.delivered(21)).isFalse();
        assertThat(t.delivered(22)).isTrue();
        assertThat(t.delivered(23)).isTrue();
        t.completed(20);
        assertThat(t.commitContiguous()).isEqualTo(OptionalLong.of(21));
        t.completed(21);
        assertThat(t.commitContiguous()).isEqualTo(OptionalLong.of(24));
    }

    @Test
    void theCommitMetadataCarriesCompletedOffsetsBeyondTheGapAcrossOwners() {
        OffsetTracker first = new OffsetTracker(-1, Set.of());
        for (long o = 100; o < 110; o++) {
            first.delivered(o);
        }
        for (long o : new long[] {100, 101, 103, 104, 105, 108}) {
            first.completed(o);
        }
        long commit = first.commitContiguous().orElseThrow();
        assertThat(commit).isEqualTo(102);
        String metadata = CompletedOffsets.encode(commit, first.completedBeyond());
        assertThat(metadata).isEqualTo("iw1:1-3,6");

        Set<Long> remembered = CompletedOffsets.decode(commit, metadata);
        assertThat(remembered).containsExactly(103L, 104L, 105L, 108L);
        OffsetTracker next = new OffsetTracker(commit, remembered);
        int replayed = 0;
        for (long o = 102; o < 110; o++) {
            if (!next.delivered(o)) {
                replayed++;
            }
        }
        assertThat(replayed).as("only the records in flight at the commit run again").isEqualTo(4);
    }

    @Test
    void metadataStaysWithinTheBrokerLimitAndForeignMetadataIsIgnored() {
        TreeSet<Long> everyOther = new TreeSet<>();
        for (long o = 1; o < 20_000; o += 2) {
            everyOther.add(o);
        }
        String metadata = CompletedOffsets.encode(0, everyOther);
        assertThat(metadata.length()).isLessThanOrEqualTo(CompletedOffsets.MAX_LENGTH);
        assertThat(CompletedOffsets.decode(0, metadata)).isSubsetOf(everyOther).isNotEmpty();
        assertThat(CompletedOffsets.decode(5, "some other tool's metadata")).isEmpty();
        assertThat(CompletedOffsets.decode(5, "iw1:x-y")).isEmpty();
        assertThat(CompletedOffsets.decode(5, null)).isEmpty();
    }
}
