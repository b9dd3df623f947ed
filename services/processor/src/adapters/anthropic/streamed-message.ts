import Anthropic from '@anthropic-ai/sdk';

/**
 * One Messages API call, streamed, resolved to the whole message (`messages.stream` + `finalMessage`).
 * Streaming because the SDK refuses long non-streaming requests (high max_tokens), and because a
 * stream shows the call is alive. The client's timeout bounds only the wait for the response to
 * begin, so this also aborts a stream that stays quiet for that long (APIConnectionTimeoutError,
 * which the classifier treats like any timeout). A parseable output format is sent as its plain
 * JSON schema: the SDK would otherwise parse the text itself at message_stop and throw on invalid
 * or truncated output, which the writer validates and repairs on its own.
 */
export async function streamedMessage(
  client: Anthropic,
  params: Anthropic.MessageCreateParamsNonStreaming,
): Promise<Anthropic.Message> {
  const format = params.output_config?.format;
  const plain = format && 'parse' in format ? { type: format.type, schema: format.schema } : format;
  const stream = client.messages.stream({
    ...params,
    ...(params.output_config ? { output_config: { ...params.output_config, format: plain } } : {}),
  });
  const quietMs = client.timeout;
  let quiet = false;
  let timer: NodeJS.Timeout | undefined;
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      quiet = true;
      stream.abort();
    }, quietMs);
  };
  stream.on('connect', rearm);
  stream.on('streamEvent', rearm);
  try {
    return await stream.finalMessage();
  } catch (e) {
    if (quiet)
      throw new Anthropic.APIConnectionTimeoutError({ message: `Claude's stream was quiet for ${quietMs} ms` });
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
