package io.mailfleet.core.service;

import io.mailfleet.core.spam.SenderLists;

import java.util.concurrent.CompletionStage;

/** Every account's sender allow and block lists, cluster-wide and durable. */
public interface SenderListStore {

    /** The most entries one list of one account may hold (every message to the account checks them all). */
    int MAX_PER_LIST = 1000;

    /** Which of the two lists. */
    enum Which {
        ALLOW, BLOCK
    }

    /** The account's lists ({@link SenderLists#EMPTY} when it has none). */
    CompletionStage<SenderLists> lists(String account);

    /** Adds a normalized entry; false when the list has it already or is full. */
    CompletionStage<Boolean> add(String account, Which list, String entry);

    /** Removes an entry; false when the list did not have it. */
    CompletionStage<Boolean> remove(String account, Which list, String entry);

    /** Removes both lists (the account was deleted); completes with how many entries there were. */
    CompletionStage<Integer> clear(String account);
}
