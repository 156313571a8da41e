package io.mailfleet.core.service;

import io.mailfleet.core.auth.AppPassword;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** The app passwords of every account, cluster-wide and durable. */
public interface AppPasswordStore {

    /** The most app passwords one account may hold (each login may have to check them all). */
    int MAX_PER_ACCOUNT = 20;

    /** The account's app passwords, with their hashes. */
    CompletionStage<List<AppPassword>> list(String account);

    /** Adds one; false when the account has one of that name already or holds {@link #MAX_PER_ACCOUNT}. */
    CompletionStage<Boolean> add(String account, AppPassword password);

    /** Revokes the one named; false when there was none. */
    CompletionStage<Boolean> revoke(String account, String name);

    /** Revokes them all (the account was deleted); completes with how many there were. */
    CompletionStage<Integer> revokeAll(String account);
}
