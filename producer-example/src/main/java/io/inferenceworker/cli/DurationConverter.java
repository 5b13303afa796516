package io.inferenceworker.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converter for {@link Times#parseDuration(String)} forms ({@code 30s}, {@code 2m}, {@code PT1M} ...). */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Times.parseDuration(value);
        } catch (InputException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
