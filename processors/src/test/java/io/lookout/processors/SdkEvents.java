package io.lookout.processors;

import io.sentry.JsonSerializer;
import io.sentry.SentryEvent;
import io.sentry.SentryExceptionFactory;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import io.sentry.SentryStackTraceFactory;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryId;
import io.sentry.protocol.User;
import java.io.StringWriter;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Error events serialized by the real Sentry Java SDK, the way it builds them before sending: its
 * own exception factory (in-app frames under {@code io.lookout}) and its own JSON serializer.
 */
public final class SdkEvents {

  private static final SentryOptions OPTIONS = options();
  private static final SentryExceptionFactory EXCEPTIONS =
      new SentryExceptionFactory(new SentryStackTraceFactory(OPTIONS));

  private SdkEvents() {
  }

  private static SentryOptions options() {
    SentryOptions options = new SentryOptions();
    options.setDsn("http://0123456789abcdef0123456789abcdef@127.0.0.1:3000/1");
    options.addInAppInclude("io.lookout");
    return options;
  }

  /** The JSON of an error event for {@code error}, with an id of 32 hex digits. */
  public static String error(String eventId, Throwable error) {
    SentryEvent event = base(eventId);
    event.setExceptions(EXCEPTIONS.getSentryExceptions(error));
    event.setLevel(SentryLevel.ERROR);
    event.setExtra("password", "hunter2");
    event.setTag("feature", "checkout");
    User user = new User();
    user.setId("42");
    user.setIpAddress("{{auto}}");
    event.setUser(user);
    return serialize(event);
  }

  /** The JSON of a message event ({@code captureMessage}). */
  public static String message(String eventId, String text) {
    SentryEvent event = base(eventId);
    Message message = new Message();
    message.setFormatted(text);
    event.setMessage(message);
    event.setLevel(SentryLevel.WARNING);
    return serialize(event);
  }

  private static SentryEvent base(String eventId) {
    SentryEvent event = new SentryEvent(new Date());
    event.setEventId(new SentryId(eventId));
    event.setPlatform("java");
    event.setRelease("shop@1.2.3");
    event.setEnvironment("production");
    event.setTags(new java.util.HashMap<>(Map.of("region", "eu")));
    event.setFingerprints(null);
    event.setModules(null);
    event.setBreadcrumbs(List.of());
    return event;
  }

  private static String serialize(SentryEvent event) {
    StringWriter out = new StringWriter();
    try {
      new JsonSerializer(OPTIONS).serialize(event, out);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}
