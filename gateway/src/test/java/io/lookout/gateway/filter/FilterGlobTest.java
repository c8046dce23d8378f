package io.lookout.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases from Relay's relay-common glob3.rs and relay-pattern tests. */
class FilterGlobTest {

  private static boolean matches(String pattern, String subject) {
    return GlobPatterns.of(List.of(pattern)).isMatch(subject);
  }

  @Test
  void emptyPatternAndEmptySubjectNeverMatch() {
    assertThat(matches("", "foo")).isFalse();
    assertThat(matches("", "")).isFalse();
    assertThat(matches("*", "")).isFalse();
    assertThat(GlobPatterns.empty().isMatch("foo")).isFalse();
    assertThat(GlobPatterns.of(List.of("*")).isMatch(null)).isFalse();
  }

  @Test
  void literalsPrefixesSuffixesAndContains() {
    assertThat(matches("foo", "foo")).isTrue();
    assertThat(matches("foo", "nope")).isFalse();
    assertThat(matches("foo*", "foobarblub")).isTrue();
    assertThat(matches("*blub", "foobarblub")).isTrue();
    assertThat(matches("*bar*", "foobarblub")).isTrue();
    assertThat(matches("foo*", "fo")).isFalse();
    assertThat(matches("*foo", "foo/")).isFalse();
  }

  @Test
  void isCaseInsensitive() {
    assertThat(matches("fOo", "FOO")).isTrue();
    assertThat(matches("*foo*", "___FOO___")).isTrue();
    assertThat(matches("foo*fooFOO*fOobar", "fooFoofooXfoofooBAR")).isTrue();
    assertThat(matches("İ", "i\u0307")).isTrue();
    assertThat(matches("*İ*", "___i\u0307___")).isTrue();
    assertThat(matches("*İ*", "___i___")).isFalse();
  }

  @Test
  void wildcardsCrossNewlines() {
    assertThat(matches("*foo*", "foo\n")).isTrue();
    assertThat(matches("foo*bar", "foo\nbar")).isTrue();
    assertThat(matches("foo*\n*bar", "foo \n bar")).isTrue();
    assertThat(matches("*?", "\n")).isTrue();
  }

  @Test
  void anyMatchesExactlyOneCharacter() {
    assertThat(matches("?", "ඞ")).isTrue();
    assertThat(matches("??", "aaa")).isFalse();
    assertThat(matches("a?a?a", "abaca")).isTrue();
    assertThat(matches("*?*?*", "a")).isFalse();
    assertThat(matches("*?*?*", "ab")).isTrue();
    assertThat(matches("foo*?*", "foo")).isFalse();
  }

  @Test
  void classesAndNegatedClasses() {
    assertThat(matches("1.18.[0-4].*", "1.18.4.2153-2aa83397b")).isTrue();
    assertThat(matches("1.18.[0-4].*", "1.18.5.2153-2aa83397b")).isFalse();
    assertThat(matches("1.18.[!0-4].*", "1.18.4.2153-2aa83397b")).isFalse();
    assertThat(matches("1.18.[!0-4].*", "1.18.5.2153-2aa83397b")).isTrue();
    assertThat(matches("x[ab]x", "xAX")).isTrue();
    assertThat(matches("[!ab]", "A")).isFalse();
    assertThat(matches("[Ǧ]", "ǧ")).isTrue();
    assertThat(matches("a[X-]b", "a-b")).isTrue();
    assertThat(matches("[]", "_")).isFalse();
  }

  @Test
  void negationOutsideAClassIsALiteral() {
    assertThat(matches("!1.18.4.*", "1.18.4.2153-2aa83397b")).isFalse();
    assertThat(matches("!*!*.md", "!foo!.md")).isTrue();
  }

  @Test
  void alternates() {
    assertThat(matches("{foo,bar}", "BAR")).isTrue();
    assertThat(matches("{foo,bar}", "fooo")).isFalse();
    assertThat(matches("foo/{*.js,*.html}", "foo/bar.html")).isTrue();
    assertThat(matches("foo/{*.js,*.html}", "foo/bar.png")).isFalse();
    assertThat(matches("{foo,abc}{def,bar}", "abcbar")).isTrue();
    assertThat(matches("{foo,abc}{def,bar}", "fooabc")).isFalse();
    assertThat(matches("a{[a-z],\\?}a", "a?a")).isTrue();
    assertThat(matches("{foo,*}", "anything")).isTrue();
    assertThat(matches("*https://reactjs.org/docs/error-decoder.html?invariant={418,419,422,423,425}*",
        "Minified React error #423; visit https://reactjs.org/docs/error-decoder.html?invariant=423 for"))
        .isTrue();
  }

  @Test
  void escapes() {
    assertThat(matches("/api/0/organizations/\\{organization_slug\\}/event*",
        "/api/0/organizations/{organization_slug}/event/foobar")).isTrue();
    assertThat(matches("/api/0/organizations/\\{organization_slug\\}/event*",
        "/api/0/organizations/\\{organization_slug\\}/event/foobar")).isFalse();
    assertThat(matches("f\\*o", "f*o")).isTrue();
    assertThat(matches("f\\\\*o", "f\\___o")).isTrue();
  }

  @Test
  void invalidPatternsAreRefusedAndNeverMatch() {
    for (String invalid : List.of("\\", "f\\", "[", "[a-z", "[[]", "[]]", "]", "[b-a]", "{a{b}}", "}")) {
      assertThatThrownBy(() -> Glob.compile(invalid)).as(invalid)
          .isInstanceOf(IllegalArgumentException.class);
    }
    GlobPatterns patterns = GlobPatterns.of(List.of("[", "foo"));
    assertThat(patterns.isEmpty()).isFalse();
    assertThat(patterns.isMatch("foo")).isTrue();
    assertThat(patterns.isMatch("[")).isFalse();
  }

  @Test
  void anUnclosedBraceDropsTheRestAsInRelay() {
    assertThat(matches("*token {x", "unexpected token ")).isTrue();
    assertThat(matches("*token {x", "unexpected token {x")).isFalse();
  }

  @Test
  void manyWildcardsStayLinear() {
    String subject = "a".repeat(20_000);
    GlobPatterns patterns = GlobPatterns.of(List.of("*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "{*a,*b}*?*c"));

    boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> patterns.isMatch(subject));

    assertThat(matched).isFalse();
  }
}
