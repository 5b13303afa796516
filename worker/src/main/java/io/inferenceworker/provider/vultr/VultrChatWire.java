package io.inferenceworker.provider.vultr;

import io.inferenceworker.provider.compat.ChatWire;
import io.inferenceworker.provider.compat.OpenAiJson.ChatRequest;

/**
 * Vultr's variant of the OpenAI exchange: its 1.2.0 reference does not list {@code stream_options}, so a stream is
 * requested without {@code include_usage} (and may end without usage, which {@link VultrProvider} then estimates),
 * unless {@link VultrOptions#allowExtendedParameters()} says the API revision in use takes it. Otherwise OpenAI's.
 * Immutable and thread-safe.
 */
final class VultrChatWire implements ChatWire {
    private final boolean streamOptions;

    /** @param streamOptions whether to send {@code stream_options.include_usage} with a stream */
    VultrChatWire(boolean streamOptions) {
        this.streamOptions = streamOptions;
    }

    @Override
    public ChatRequest body(ChatRequest mapped) {
        return streamOptions ? mapped : mapped.withoutStreamOptions();
    }
}
