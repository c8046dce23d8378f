package io.lookout.gateway.envelope;

import java.util.List;

/**
 * An envelope that cannot be parsed. Relay answers these with 400
 * {@code {"detail":"invalid event envelope","causes":[...]}}: {@link #getMessage()} is the full
 * human text for {@code detail}, {@link #causes()} the chain Relay would list, and
 * {@link #reason()} the outcome reason.
 *
 * <p>Unchecked so that it can leave a Vert.x {@code compose} lambda; the endpoint maps it to its
 * rejection type.
 */
public final class EnvelopeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Relay's {@code DiscardReason::InvalidEnvelope}: every parse error of an envelope. */
  public static final String REASON = "invalid_envelope";

  /** What went wrong, after Relay's {@code EnvelopeError} variants (their texts are Relay's). */
  public enum Kind {
    /** The body is empty or whitespace only. */
    MISSING_HEADER("missing envelope header"),
    /** The envelope header is not a JSON object, or a known field of it is invalid. */
    INVALID_HEADER("invalid envelope header"),
    /** An item header is not a JSON object, or {@code type}/{@code length}/... is invalid. */
    INVALID_ITEM_HEADER("invalid item header"),
    /** A header or a length-delimited payload is followed by something other than {@code \n}. */
    MISSING_NEWLINE("missing newline after header or payload"),
    /** The body ends where an item header or {@code length} bytes of payload were expected. */
    UNEXPECTED_EOF("unexpected end of file"),
    /** An item of Relay's internal type {@code integration}. */
    INTERNAL_ITEM_TYPE("internal item type");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  private final Kind kind;
  private final long offset;
  private final String detail;

  EnvelopeException(Kind kind, long offset, String detail) {
    super("invalid event envelope: " + kind.text + ": " + detail);
    this.kind = kind;
    this.offset = offset;
    this.detail = detail;
  }

  public Kind kind() {
    return kind;
  }

  /** Byte offset in the body where the problem was found. */
  public long offset() {
    return offset;
  }

  /** The outcome reason, {@value #REASON}, as in Relay. */
  public String reason() {
    return REASON;
  }

  /** The causes below {@code "invalid event envelope"}, outermost first, as Relay lists them. */
  public List<String> causes() {
    return List.of(kind.text, detail);
  }
}
