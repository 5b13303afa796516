/**
 * The nscale dialect ({@code type: nscale}): OpenAI-compatible wire through the shared
 * {@link io.inferenceworker.provider.compat.OpenAiCompatibleClient}, plus nscale's rules — {@code tool_choice} only
 * {@code auto}/{@code none}, 201 is success for streams, 429 means insufficient credit (terminal), both vLLM
 * error-body shapes. The factory is the only public type.
 */
package io.inferenceworker.provider.nscale;
