/**
 * The NVIDIA API catalog dialect ({@code type: nvidia}): OpenAI-compatible wire through the shared
 * {@link io.inferenceworker.provider.compat.OpenAiCompatibleClient}, plus NVIDIA's rules — the documented parameter set and
 * ranges, {@code chat_template_kwargs} and {@code reasoning_content} passed through, images and videos only in user
 * messages, the documented default model, and the 202 + {@code NVCF-REQID} answer polled at
 * {@code /v2/nvcf/pexec/status/{reqId}}. The factory is the only public type.
 */
package io.inferenceworker.provider.nvidia;
