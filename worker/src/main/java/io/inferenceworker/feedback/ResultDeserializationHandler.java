package io.inferenceworker.feedback;

import io.inferenceworker.serde.PoisonRecordException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kafka Streams does with a result record it cannot deserialize: skips it (with a warning) when the record is
 * poison, since reading it again will not help — votes on that job then end as unknown jobs; fails otherwise (a
 * registry outage), so the stream thread is replaced and reads the record again. Vote requests are read as bytes
 * and never get here. Instantiated by Kafka Streams; stateless.
 */
public final class ResultDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ResultDeserializationHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (isPoison(exception)) {
            LOG.warn("Skipping undecodable record {}-{}@{} for the votes component: {}", record.topic(),
                    record.partition(), record.offset(), exception.getMessage());
            return Response.resume();
        }
        LOG.error("Cannot deserialize record {}-{}@{}; the stream thread stops and it is read again",
                record.topic(), record.partition(), record.offset(), exception);
        return Response.fail();
    }

    private static boolean isPoison(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PoisonRecordException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }
}
