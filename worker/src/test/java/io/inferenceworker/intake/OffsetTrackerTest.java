package io.inferenceworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.intake.OffsetTracker.Commit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final Uuid TOPIC = Uuid.randomUuid();
    private static final Optional<Integer> EPOCH_0 = Optional.of(0);

    private static long commitOffset(OffsetTracker t) {
        return t.due(TOPIC).orElseThrow().offset();
    }

    @Test
    void commitsTheFirstOffsetNotComplete() {
        OffsetTracker t = new OffsetTracker(-1, OffsetRanges.empty(), null);
        List.of(10L, 11L, 12L, 13L).forEach(o -> t.delivered(o, EPOCH_0));
        t.completed(11);
        t.completed(13);
        assertThat(commitOffset(t)).isEqualTo(10);
        t.completed(10);
        Commit c = t.due(TOPIC).orElseThrow();
        assertThat(c.offset()).isEqualTo(12);
        assertThat(c.metadata()).isEqualTo("iw2:" + TOPIC + ":12:1");
        t.committed(c);
        assertThat(t.due(TOPIC)).as("nothing new to commit").isEmpty();
        t.completed(12);
        assertThat(commitOffset(t)).isEqualTo(14);
        assertThat(t.inFlight()).isZero();
    }

    @Test
    void offsetsMissingFromThePartitionDoNotBlockCommits() {
        // compaction and transaction markers leave holes in the offsets actually delivered
        OffsetTracker t = new OffsetTracker(-1, OffsetRanges.empty(), null);
        List.of(3L, 7L, 9L).forEach(o -> t.delivered(o, EPOCH_0));
        t.completed(3);
        t.completed(7);
        t.completed(9);
        assertThat(commitOffset(t)).isEqualTo(10);
    }

    @Test
    void aCommitNotAcknowledgedIsProposedAgain() {
        OffsetTracker t = new OffsetTracker(-1, OffsetRanges.empty(), null);
        t.delivered(0, EPOCH_0);
        t.completed(0);
        Commit first = t.due(TOPIC).orElseThrow();
        // the async commit failed: no acknowledgement; the next commit carries it again
        assertThat(t.due(TOPIC)).contains(first);
        t.committed(first);
        assertThat(t.due(TOPIC)).isEmpty();
    }

    @Test
    void theCommitCarriesTheLeaderEpochOfTheLastRecordBelowIt() {
        OffsetTracker t = new OffsetTracker(-1, OffsetRanges.empty(), null);
        t.delivered(0, Optional.of(3));
        t.delivered(1, Optional.of(3));
        t.delivered(2, Optional.of(4));
        t.completed(0);
        t.completed(1);
        assertThat(t.due(TOPIC).orElseThrow().leaderEpoch()).contains(3);
        t.completed(2);
        assertThat(t.due(TOPIC).orElseThrow().leaderEpoch()).contains(4);
        t.committed(t.due(TOPIC).orElseThrow());
        t.delivered(3, Optional.empty()); // legacy record format: no epoch
        t.completed(3);
        assertThat(t.due(TOPIC).orElseThrow().leaderEpoch()).isEmpty();
    }

    @Test
    void beforeAnyDeliveryTheGroupsCommitIsKeptWithItsEpoch() {
        Commit group = Commit.of(new OffsetAndMetadata(20, Optional.of(7), ""));
        OffsetTracker t = new OffsetTracker(20, OffsetRanges.empty(), group);
        assertThat(t.due(null)).as("same offset, epoch and (no) metadata").isEmpty();
        assertThat(t.due(TOPIC).orElseThrow()).isEqualTo(new Commit(20, Optional.of(7), "iw2:" + TOPIC + ":20:"));
    }

    @Test
    void afterAResetBelowTheGroupsCommitAnAcknowledgedLowerCommitIsFinal() {
        Commit stale = Commit.of(new OffsetAndMetadata(100, Optional.of(2), ""));
        OffsetTracker t = new OffsetTracker(0, OffsetRanges.empty(), stale); // position reset to 0
        t.delivered(0, EPOCH_0);
        t.completed(0);
        Commit c = t.due(TOPIC).orElseThrow();
        assertThat(c.offset()).isEqualTo(1);
        t.committed(c);
        assertThat(t.due(TOPIC)).as("not proposed again and again").isEmpty();
    }

    @Test
    void recordsCompletedByAnEarlierOwnerAreSkippedAndCountAsComplete() {
        OffsetRanges earlier = OffsetRanges.empty();
        earlier.append(22, 23);
        OffsetTracker t = new OffsetTracker(20, earlier, null);
        assertThat(t.delivered(20, EPOCH_0)).isFalse();
        assertThat(t.delivered(21, EPOCH_0)).isFalse();
        assertThat(t.delivered(22, EPOCH_0)).isTrue();
        assertThat(t.delivered(23, EPOCH_0)).isTrue();
        t.completed(20);
        assertThat(commitOffset(t)).isEqualTo(21);
        t.completed(21);
        assertThat(commitOffset(t)).isEqualTo(24);
    }

    @Test
    void theCommitMetadataCarriesCompletedOffsetsBeyondTheGapAcrossOwners() {
        OffsetTracker first = new OffsetTracker(-1, OffsetRanges.empty(), null);
        for (long o = 100; o < 110; o++) {
            first.delivered(o, EPOCH_0);
        }
        for (long o : new long[] {100, 101, 103, 104, 105, 108}) {
            first.completed(o);
        }
        Commit commit = first.due(TOPIC).orElseThrow();
        assertThat(commit.offset()).isEqualTo(102);
        assertThat(commit.metadata()).isEqualTo("iw2:" + TOPIC + ":102:1-3,6");

        Resume resume = Resume.decide(commit.toKafka(), TOPIC, OptionalLong.of(102));
        assertThat(resume).isInstanceOf(Resume.Trusted.class);
        OffsetTracker next = new OffsetTracker(102, ((Resume.Trusted) resume).completed(), commit);
        assertThat(next.due(TOPIC)).as("the inherited claim is the commit already made").isEmpty();
        int replayed = 0;
        for (long o = 102; o < 110; o++) {
            if (!next.delivered(o, EPOCH_0)) {
                replayed++;
            }
        }
        assertThat(replayed).as("only the records in flight at the commit run again").isEqualTo(4);
    }

    @Test
    void inheritedRangesNotReachedYetAreCarriedIntoTheNextCommit() {
        OffsetRanges earlier = OffsetRanges.empty();
        earlier.append(105, 107);
        OffsetTracker t = new OffsetTracker(100, earlier, null);
        t.delivered(100, EPOCH_0);
        t.delivered(101, EPOCH_0);
        t.completed(101);
        assertThat(t.due(TOPIC).orElseThrow().metadata()).isEqualTo("iw2:" + TOPIC + ":100:1,5-7");
        t.completed(100);
        assertThat(t.due(TOPIC).orElseThrow().metadata()).isEqualTo("iw2:" + TOPIC + ":102:3-5");
    }

    @Test
    void withoutATopicIdTheCommitCarriesNoClaim() {
        OffsetTracker t = new OffsetTracker(-1, OffsetRanges.empty(), null);
        t.delivered(0, EPOCH_0);
        t.delivered(1, EPOCH_0);
        t.completed(1);
        assertThat(t.due(null).orElseThrow()).isEqualTo(new Commit(0, Optional.empty(), ""));
    }

    @Test
    void aPositionGoingBackIsRefused() {
        OffsetTracker t = new OffsetTracker(50, OffsetRanges.empty(), null);
        assertThat(t.follows(49)).isFalse();
        assertThat(t.follows(50)).isTrue();
        assertThatThrownBy(() -> t.delivered(10, EPOCH_0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordStuckForAMillionOffsetsKeepsEveryCommitCheap() {
        OffsetTracker t = new OffsetTracker(0, OffsetRanges.empty(), null);
        t.delivered(0, EPOCH_0); // stuck: never completes
        Commit last = null;
        for (long o = 1; o <= 1_000_000; o++) {
            t.delivered(o, EPOCH_0);
            t.completed(o);
            if (o % 1_000 == 0) { // a commit every 1,000 records: 1,000 commits
                Commit c = t.due(TOPIC).orElseThrow();
                assertThat(c.offset()).isZero();
                t.committed(c);
                last = c;
            }
        }
        assertThat(last.metadata()).isEqualTo("iw2:" + TOPIC + ":0:1-1000000");
        assertThat(t.inFlight()).as("held one by one: only the stuck record").isEqualTo(1);
    }
}
