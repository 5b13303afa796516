package io.inferenceworker.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which records a new owner replays, read from the worker's documented commit metadata. */
class CommitMetadataTest {

    @Test
    void recordsBelowTheCommitOrMarkedCompletedAreNotReplayed() {
        CommitMetadata m = CommitMetadata.parse(100, "iw2:vO3dbsOITmWRQ5mIVUxJrQ:100:2-40,45");
        assertThat(m.replays(99)).isFalse();
        assertThat(m.replays(100)).isTrue();
        assertThat(m.replays(101)).isTrue();
        assertThat(m.replays(102)).isFalse();
        assertThat(m.replays(140)).isFalse();
        assertThat(m.replays(141)).isTrue();
        assertThat(m.replays(145)).isFalse();
        assertThat(m.replays(146)).isTrue();
    }

    @Test
    void metadataInAnotherFormatMarksNothing() {
        assertThat(CommitMetadata.parse(10, "iw9:whatever").replays(12)).isTrue();
        assertThat(CommitMetadata.parse(10, "iw2:id:10:x-y").replays(12)).isTrue();
        assertThat(CommitMetadata.parse(10, "iw1:2").replays(12)).as("earlier format, ignored by the worker").isTrue();
        assertThat(CommitMetadata.parse(10, "iw2:id:9:3").replays(12)).as("written for another offset").isTrue();
        assertThat(CommitMetadata.parse(10, null).replays(10)).isTrue();
    }
}
