package io.lookout.storage.kafka.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * An attachment as Relay describes it inside an {@link EventMessage}'s {@code attachments} or an
 * {@link AttachmentMessage} ({@code ChunkedAttachment} in {@code relay-server/src/services/store.rs}).
 * Sentry builds its {@code CachedAttachment} from these keys, so they must stay exactly these.
 *
 * <p>Wire keys, in Relay's order: {@code id} (a UUID, unique within the event), {@code name}
 * ({@value #UNNAMED} when the item had no filename), {@code rate_limited}, {@code content_type}
 * (left out when unknown), {@code attachment_type} (e.g. {@value #DEFAULT_TYPE},
 * {@code event.minidump}), {@code size} (bytes), then exactly one of:
 * <ul>
 *   <li>{@code chunks}: the content went out as that many {@link AttachmentChunkMessage}s before
 *       this descriptor (0 for an empty attachment);
 *   <li>{@code data}: the content inline, as msgpack bin (Relay does this for a standalone
 *       attachment smaller than one chunk);
 *   <li>{@code stored_id}: the content is already in Sentry's objectstore under this key.
 * </ul>
 *
 * @param size the attachment's size in bytes; null only when decoded from an old Relay that did
 *     not send it
 */
public record AttachmentDescriptor(
    String id,
    String name,
    boolean rateLimited,
    String contentType,
    String attachmentType,
    Long size,
    Integer chunks,
    byte[] data,
    String storedId) {

  /** Relay's name for an attachment item without a {@code filename} header. */
  public static final String UNNAMED = "Unnamed Attachment";

  /** Relay's default attachment type. */
  public static final String DEFAULT_TYPE = "event.attachment";

  public AttachmentDescriptor {
    Objects.requireNonNull(id, "attachment id");
    name = name == null ? UNNAMED : name;
    attachmentType = attachmentType == null ? DEFAULT_TYPE : attachmentType;
    if (size != null && size < 0) {
      throw new IllegalArgumentException("attachment size must be >= 0, got " + size);
    }
    if (chunks != null && chunks < 0) {
      throw new IllegalArgumentException("attachment chunks must be >= 0, got " + chunks);
    }
    int payloads = (chunks != null ? 1 : 0) + (data != null ? 1 : 0) + (storedId != null ? 1 : 0);
    if (payloads != 1) {
      throw new IllegalArgumentException(
          "attachment needs exactly one of chunks, data or stored_id, got " + payloads);
    }
  }

  /** An attachment whose content went out as {@code chunks} chunk messages. */
  public static AttachmentDescriptor chunked(String id, String name, boolean rateLimited,
      String contentType, String attachmentType, long size, int chunks) {
    return new AttachmentDescriptor(
        id, name, rateLimited, contentType, attachmentType, size, chunks, null, null);
  }

  /** An attachment carried inline; its size is the length of {@code data}. */
  public static AttachmentDescriptor inline(String id, String name, boolean rateLimited,
      String contentType, String attachmentType, byte[] data) {
    return new AttachmentDescriptor(id, name, rateLimited, contentType, attachmentType,
        (long) data.length, null, data, null);
  }

  /** An attachment already in the objectstore under {@code storedId}. */
  public static AttachmentDescriptor stored(String id, String name, boolean rateLimited,
      String contentType, String attachmentType, long size, String storedId) {
    return new AttachmentDescriptor(
        id, name, rateLimited, contentType, attachmentType, size, null, null, storedId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttachmentDescriptor a
        && rateLimited == a.rateLimited
        && id.equals(a.id)
        && name.equals(a.name)
        && Objects.equals(contentType, a.contentType)
        && attachmentType.equals(a.attachmentType)
        && Objects.equals(size, a.size)
        && Objects.equals(chunks, a.chunks)
        && Arrays.equals(data, a.data)
        && Objects.equals(storedId, a.storedId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, rateLimited, contentType, attachmentType, size, chunks,
        Arrays.hashCode(data), storedId);
  }

  @Override
  public String toString() {
    return "AttachmentDescriptor[id=" + id + ", name=" + name + ", rateLimited=" + rateLimited
        + ", contentType=" + contentType + ", attachmentType=" + attachmentType + ", size=" + size
        + (chunks != null ? ", chunks=" + chunks : "")
        + (data != null ? ", data=bytes[" + data.length + "]" : "")
        + (storedId != null ? ", storedId=" + storedId : "") + "]";
  }
}
