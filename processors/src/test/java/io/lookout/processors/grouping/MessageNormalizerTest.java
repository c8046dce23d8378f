package io.lookout.processors.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MessageNormalizerTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "User 123 failed|User <int> failed",
    "balance -42 left|balance <int> left",
    "took 3.14 units|took <float> units",
    "mail bob.smith+x@example.org now|mail <email> now",
    "GET https://api.example.com/v1/x?id=3 failed|GET <url> failed",
    "connect to db.internal.io refused|connect to <hostname> refused",
    "from 10.0.12.7 denied|from <ip> denied",
    "peer 2001:0db8:85a3:0000:0000:8a2e:0370:7334 gone|peer <ip> gone",
    "peer fe80::1 gone|peer <ip> gone",
    "id 123e4567-e89b-12d3-a456-426614174000 missing|id <uuid> missing",
    "commit da39a3ee5e6b4b0d3255bfef95601890afd80709 bad|commit <sha1> bad",
    "file d41d8cd98f00b204e9800998ecf8427e bad|file <md5> bad",
    "at 2024-03-05T10:11:12.123Z done|at <date> done",
    "at 2024-03-05 10:11:12 done|at <date> done",
    "on 2024-03-05 done|on <date> done",
    "at 10:30 pm|at <date>",
    "ptr 0x7ffe12ab crashed|ptr <hex> crashed",
    "token deadbeef1234 bad|token <hex> bad",
    "timeout after 1500ms|timeout after <duration>",
    "name='bob smith' rejected|name=<quoted_str> rejected",
    "flag=true rejected|flag=<bool> rejected",
    "Foo::bar failed|Foo::bar failed",
    "no numbers here|no numbers here",
    "v2 api|v2 api"
  })
  void replacesVariableParts(String input, String expected) {
    assertThat(MessageNormalizer.normalize(input)).isEqualTo(expected);
  }

  @Test
  void keepsTheFirstTwoNonBlankLinesAndMarksTheCut() {
    assertThat(MessageNormalizer.normalize("one\n\n  \ntwo\nthree")).isEqualTo("one\ntwo...");
    assertThat(MessageNormalizer.normalize("one\r\ntwo")).isEqualTo("one\ntwo...");
    assertThat(MessageNormalizer.normalize("one\ntwo")).isEqualTo("one\ntwo");
    assertThat(MessageNormalizer.normalize("")).isEmpty();
    assertThat(MessageNormalizer.normalize(null)).isEmpty();
  }

  @Test
  void parameterizeKeepsAllLines() {
    assertThat(MessageNormalizer.parameterize("a 1\nb 2\nc 3")).isEqualTo("a <int>\nb <int>\nc <int>");
  }
}
