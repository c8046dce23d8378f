package io.lookout.gateway.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code clientIps.blacklistedIps} of a project: addresses and CIDR networks, parsed once. An
 * entry that is not an address or network is kept in {@link #entries()} but matches nothing, as in
 * Relay.
 */
public final class BlockedIps {

  private static final BlockedIps EMPTY = new BlockedIps(List.of());

  private final List<String> entries;
  private final List<IpNetwork> networks;

  private BlockedIps(List<String> entries) {
    this.entries = List.copyOf(entries);
    List<IpNetwork> parsed = new ArrayList<>(entries.size());
    for (String entry : this.entries) {
      IpNetwork network = IpNetwork.parse(entry);
      if (network != null) {
        parsed.add(network);
      }
    }
    this.networks = List.copyOf(parsed);
  }

  public static BlockedIps of(List<String> entries) {
    return entries.isEmpty() ? EMPTY : new BlockedIps(entries);
  }

  public static BlockedIps empty() {
    return EMPTY;
  }

  /** The entries as configured. */
  public List<String> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Whether the client IP (an IPv4 or IPv6 literal) is in one of the networks. */
  public boolean contains(String clientIp) {
    if (networks.isEmpty()) {
      return false;
    }
    byte[] ip = IpNetwork.parseAddress(clientIp);
    if (ip == null) {
      return false;
    }
    for (IpNetwork network : networks) {
      if (network.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockedIps other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
