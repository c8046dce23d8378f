package io.lookout.processors.save;

/**
 * What saving one item did: the post-save steps (eventstream, alerts) need these flags.
 *
 * @param groupId the issue of an error, null for everything else
 * @param isNew true the first time this event was saved; false for a replay of an event already
 *     stored (a redelivered task or a re-read Kafka offset), which changed no counter
 * @param isNewGroup this event created its issue
 * @param isRegression this event turned a resolved issue back into an unresolved one
 * @param json the event JSON as written to the nodestore (null for items without an event), so
 *     that the eventstream message can carry it without encoding the event again
 */
public record SavedEvent(SaveItem item, Long groupId, boolean isNew, boolean isNewGroup,
    boolean isRegression, byte[] json) {
}
