package io.lookout.gateway.envelope;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;

/**
 * Writes an envelope the way Relay serializes one: the header, then per item its header with
 * {@code length} set to the payload's size, the payload and a newline. {@link EnvelopeParser}
 * reads the result back to an equal envelope. Used by proxy mode, tests and load tests.
 */
public final class EnvelopeWriter {

  private EnvelopeWriter() {
  }

  public static Buffer write(Envelope envelope) {
    Buffer header = envelope.header().toBuffer();
    int size = header.length() + 1;
    Buffer[] itemHeaders = new Buffer[envelope.size()];
    for (int i = 0; i < itemHeaders.length; i++) {
      EnvelopeItem item = envelope.items().get(i);
      // A shallow copy: the item's own header is left as it is.
      JsonObject itemHeader = new JsonObject(new LinkedHashMap<>(item.header().getMap()));
      itemHeader.put("length", item.payloadLength());
      itemHeaders[i] = itemHeader.toBuffer();
      size += itemHeaders[i].length() + 1 + item.payloadLength() + 1;
    }
    Buffer out = Buffer.buffer(size);
    out.appendBuffer(header).appendByte((byte) '\n');
    for (int i = 0; i < itemHeaders.length; i++) {
      out.appendBuffer(itemHeaders[i]).appendByte((byte) '\n');
      out.appendBuffer(envelope.items().get(i).payload()).appendByte((byte) '\n');
    }
    return out;
  }
}
