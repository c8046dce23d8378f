package io.lookout.gateway.filter;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 network, {@code ADDRESS[/PREFIX]}, as the {@code ipnetwork} crate reads the
 * entries of {@code clientIps.blacklistedIps}: a bare address is a single host, host bits after the
 * prefix are allowed (and ignored), an IPv4 address may be cut short ({@code 10/8}).
 *
 * <p>Addresses are parsed here, never resolved: nothing in this class touches DNS.
 */
final class IpNetwork {

  private final byte[] address;
  private final int prefix;

  private IpNetwork(byte[] address, int prefix) {
    this.address = address;
    this.prefix = prefix;
  }

  /** The network, or {@code null} if the text is not one (Relay skips those entries). */
  static IpNetwork parse(String text) {
    if (text == null) {
      return null;
    }
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    byte[] address = addressText.indexOf(':') >= 0 ? parseV6(addressText) : parseV4(addressText, true);
    if (address == null) {
      return null;
    }
    int max = address.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String prefixText = text.substring(slash + 1);
      if (prefixText.isEmpty() || prefixText.length() > 3 || !prefixText.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      prefix = Integer.parseInt(prefixText);
      if (prefix > max) {
        return null;
      }
    }
    return new IpNetwork(address, prefix);
  }

  /** An address as Rust's {@code IpAddr::from_str} reads it (4 or 16 bytes), or {@code null}. */
  static byte[] parseAddress(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text, false);
  }

  /** Whether the address (4 or 16 bytes) lies in this network; never across families. */
  boolean contains(byte[] ip) {
    if (ip == null || ip.length != address.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (ip[i] != address[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (ip[full] & mask) == (address[full] & mask);
  }

  @Override
  public String toString() {
    return Arrays.toString(address) + "/" + prefix;
  }

  private static byte[] parseV4(String text, boolean allowShort) {
    String[] parts = text.split("\\.", -1);
    if (parts.length > 4 || (!allowShort && parts.length != 4)) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
          || (part.length() > 1 && part.charAt(0) == '0')) {
        return null;
      }
      int value = Integer.parseInt(part);
      if (value > 255) {
        return null;
      }
      out[i] = (byte) value;
    }
    return out;
  }

  /** RFC 4291 text form: hex groups, one optional {@code ::}, an optional dotted IPv4 tail. */
  private static byte[] parseV6(String text) {
    if (text.isEmpty()) {
      return null;
    }
    int doubleColon = text.indexOf("::");
    if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
      return null;
    }
    String head = doubleColon < 0 ? text : text.substring(0, doubleColon);
    String tail = doubleColon < 0 ? "" : text.substring(doubleColon + 2);
    int[] headGroups = groups(head, doubleColon < 0);
    int[] tailGroups = groups(tail, true);
    if (headGroups == null || tailGroups == null) {
      return null;
    }
    int total = headGroups.length + tailGroups.length;
    if (doubleColon < 0 ? total != 8 : total > 7) {
      return null;
    }
    int[] all = new int[8];
    System.arraycopy(headGroups, 0, all, 0, headGroups.length);
    System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (all[i] >> 8);
      out[2 * i + 1] = (byte) all[i];
    }
    return out;
  }

  /** 16-bit groups of one side of {@code ::}; a dotted IPv4 is allowed as the last, if it ends the text. */
  private static int[] groups(String side, boolean mayEndWithV4) {
    if (side.isEmpty()) {
      return new int[0];
    }
    String[] parts = side.split(":", -1);
    int count = parts.length;
    String last = parts[count - 1];
    boolean v4 = mayEndWithV4 && last.indexOf('.') >= 0;
    int[] out = new int[v4 ? count + 1 : count];
    for (int i = 0; i < (v4 ? count - 1 : count); i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 4) {
        return null;
      }
      int value = 0;
      for (int j = 0; j < part.length(); j++) {
        char c = part.charAt(j);
        int digit = c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit < 0) {
          return null;
        }
        value = value * 16 + digit;
      }
      out[i] = value;
    }
    if (v4) {
      byte[] ipv4 = parseV4(last, false);
      if (ipv4 == null) {
        return null;
      }
      out[count - 1] = ((ipv4[0] & 0xff) << 8) | (ipv4[1] & 0xff);
      out[count] = ((ipv4[2] & 0xff) << 8) | (ipv4[3] & 0xff);
    }
    return out;
  }
}
