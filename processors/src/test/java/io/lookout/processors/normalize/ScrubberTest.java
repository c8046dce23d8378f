package io.lookout.processors.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScrubberTest {

  @Test
  void aValueNamingAPasswordWordAnywhereInAnyCaseIsFound() {
    for (String value : new String[] {
        "password", "my PassWord is", "xpasswdx", "PrivateKey", "a private_key", "private-key:", "SECRET",
        "Auth header", "oauth", "api_key=1", "API-KEY", "apikey", "credentials", "mysql_pwd", "token: abc",
        "the token=abc", "OTP", "two_factor"}) {
      assertThat(Scrubber.valueHasPasswordWord(value)).as(value).isTrue();
    }
  }

  @Test
  void plainWordsWithTheSameFirstLettersAreNot() {
    for (String value : new String[] {
        "", "a", "pay the passage", "private", "apple pie", "application", "autumn", "sec", "secre",
        "credit", "mysql", "token", "the token was spent", "tokens are fine", "two factors", "otp code"}) {
      assertThat(Scrubber.valueHasPasswordWord(value)).as(value).isFalse();
    }
  }
}
