package io.inferenceworker.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class ByteArrayBodyTest {

    /** Records what a publisher signals; requests {@code n} on subscribe. */
    private static final class Recorder implements Flow.Subscriber<ByteBuffer> {
        final List<String> signals = new ArrayList<>();
        final long n;
        Flow.Subscription subscription;

        Recorder(long n) {
            this.n = n;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (n != 0) {
                s.request(n);
            }
        }

        @Override
        public void onNext(ByteBuffer item) {
            byte[] bytes = new byte[item.remaining()];
            item.get(bytes);
            signals.add("next:" + new String(bytes, StandardCharsets.UTF_8));
            subscription.request(1); // re-entrant, as HTTP clients do: must not emit twice
        }

        @Override
        public void onError(Throwable t) {
            signals.add("error:" + t.getClass().getSimpleName());
        }

        @Override
        public void onComplete() {
            signals.add("complete");
        }
    }

    @Test
    void emitsTheWholeArrayOnceThenCompletesForEverySubscriber() {
        ByteArrayBody body = new ByteArrayBody("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(body.contentLength()).isEqualTo(13);
        for (int i = 0; i < 2; i++) { // a resend subscribes again and gets the same body
            Recorder r = new Recorder(Long.MAX_VALUE);
            body.subscribe(r);
            assertThat(r.signals).containsExactly("next:{\"model\":\"m\"}", "complete");
        }
    }

    @Test
    void anEmptyBodyOnlyCompletes() {
        Recorder r = new Recorder(1);
        new ByteArrayBody(new byte[0]).subscribe(r);
        assertThat(r.signals).containsExactly("complete");
    }

    @Test
    void aNonPositiveRequestIsAnErrorAndACancelledSubscriptionEmitsNothing() {
        Recorder bad = new Recorder(-1);
        new ByteArrayBody(new byte[] {1}).subscribe(bad);
        assertThat(bad.signals).containsExactly("error:IllegalArgumentException");

        Recorder cancelled = new Recorder(0);
        new ByteArrayBody(new byte[] {1}).subscribe(cancelled);
        cancelled.subscription.cancel();
        cancelled.subscription.request(1);
        assertThat(cancelled.signals).isEmpty();
    }
}
