package io.lookout.processors.save;

/**
 * What saving one item did: the post-save steps (eventstream, alerts) need these flags.
 *
 * @param groupId the issue of an error, null for everything else
 * @param isNew true the first time this event was saved; false for a replay of an event already
 *     stored (a redelivered task or a re-read Kafka offset), which changed no counter
 * @param isNewGroup this event created its issue
 * @param isRegression this event turned a resolved issue back into an unresolved one
 */
public record SavedEvent(SaveItem item, Long groupId, boolean isNew, boolean isNewGroup,
    boolean isRegression) {
}
