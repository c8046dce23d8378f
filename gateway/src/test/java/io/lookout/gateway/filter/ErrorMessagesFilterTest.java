package io.lookout.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases from Relay's relay-filter error_messages.rs. */
class ErrorMessagesFilterTest {

  private static FilterConfig patterns(String... patterns) {
    return FilterConfig.fromJson(new JsonObject().put("errorMessages",
        new JsonObject().put("patterns", new JsonArray(List.of(patterns)))));
  }

  private static JsonObject event(String type, String value, String formatted) {
    JsonObject event = FilterEvents.withException(type, value);
    event.put("logentry", new JsonObject().put("formatted", formatted));
    return event;
  }

  @Test
  void matchesTypeValueAndLogMessageLikeRelay() {
    List<FilterConfig> configs = List.of(
        patterns("filteredexception*", "*this is a filtered exception.", "", "this is"),
        patterns("filteredexception: this is a filtered exception.", "filteredexception",
            "this is a filtered exception."));
    Object[][] cases = {
        {"UnfilteredException", null, "UnfilteredException", true},
        {null, "This is an unfiltered exception.", "This is an unfiltered exception.", true},
        {null, null, "This is an unfiltered exception.", true},
        {null, null, "", true},
        {"UnfilteredException", "This is an unfiltered exception.",
            "UnfilteredException: This is an unfiltered exception.", true},
        {"FilteredException", null, "FilteredException", false},
        {null, "This is a filtered exception.", "This is a filtered exception.", false},
        {null, null, "This is a filtered exception.", false},
        {"FilteredException", "This is a filtered exception.",
            "FilteredException: This is a filtered exception.", false},
        {"OtherException", "This is a random exception.",
            "FilteredException: This is a filtered exception.", false},
        {null, null, "FilteredException: This is a filtered exception.", false},
        {"FilteredException", "This is a filtered exception.", "hi this is a legit log message", false},
    };
    for (FilterConfig config : configs) {
      for (Object[] c : cases) {
        boolean ingested = InboundFilters.check(event((String) c[0], (String) c[1], (String) c[2]), config, null)
            .isEmpty();
        assertThat(ingested).as(config.errorMessages() + " " + Arrays.asList(c)).isEqualTo(c[3]);
      }
    }
  }

  @Test
  void filtersReactHydrationErrors() {
    JsonObject event = new JsonObject("""
        {"exception": {"values": [{"type": "Error", "value": "Minified React error #423; visit \
        https://reactjs.org/docs/error-decoder.html?invariant=423 for the full message or use the \
        non-minified dev environment for full errors and additional helpful warnings."}]}}
        """);

    assertThat(InboundFilters.check(event,
        patterns("*https://reactjs.org/docs/error-decoder.html?invariant={418,419,422,423,425}*"), null))
        .contains(FilterStatKey.ERROR_MESSAGE);
  }

  @Test
  void filtersChunkLoadErrorsInLogMessages() {
    FilterConfig config = patterns("ChunkLoadError: Loading chunk *", "*Uncaught *: ChunkLoadError: Loading chunk *");
    for (String error : List.of(
        "Error: Uncaught (in promise): ChunkLoadError: Loading chunk 175 failed.",
        "Uncaught (in promise): ChunkLoadError: Loading chunk 175 failed.",
        "ChunkLoadError: Loading chunk 552 failed.")) {
      JsonObject event = new JsonObject().put("logentry", new JsonObject().put("formatted", error));
      assertThat(InboundFilters.check(event, config, null)).as(error).contains(FilterStatKey.ERROR_MESSAGE);
    }
  }

  @Test
  void readsTheLegacyMessageForms() {
    FilterConfig config = patterns("*database is locked*");

    assertThat(InboundFilters.check(new JsonObject().put("message", "Database is locked"), config, null))
        .contains(FilterStatKey.ERROR_MESSAGE);
    assertThat(InboundFilters.check(new JsonObject()
        .put("logentry", new JsonObject().put("message", "database is locked: %s")), config, null))
        .contains(FilterStatKey.ERROR_MESSAGE);
    assertThat(InboundFilters.check(new JsonObject().put("exception",
        new JsonArray().add(new JsonObject().put("type", "OperationalError").put("value", "database is locked"))),
        config, null)).contains(FilterStatKey.ERROR_MESSAGE);
  }

  @Test
  void formattedWinsOverMessage() {
    JsonObject event = new JsonObject().put("logentry",
        new JsonObject().put("formatted", "user 42 not found").put("message", "user %s not found"));

    assertThat(InboundFilters.check(event, patterns("user %s*"), null)).isEmpty();
    assertThat(InboundFilters.check(event, patterns("user 42*"), null)).contains(FilterStatKey.ERROR_MESSAGE);
  }

  @Test
  void anEventWithoutMessagesPasses() {
    assertThat(InboundFilters.check(new JsonObject(), patterns("*"), null)).isEmpty();
  }
}
