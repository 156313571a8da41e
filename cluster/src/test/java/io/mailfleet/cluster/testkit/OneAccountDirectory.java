package io.mailfleet.cluster.testkit;

import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.service.DirectoryService;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A read-only directory of one domain with one account (password {@code pw} unless given), for entity tests. */
public final class OneAccountDirectory implements DirectoryService {

    private final DirectoryView view;

    /** {@code address}'s domain holding only {@code address}. */
    public OneAccountDirectory(String address) {
        this(address, "{PLAIN}pw");
    }

    /** {@code address}'s domain holding only {@code address}, whose password hash is {@code hash}. */
    public OneAccountDirectory(String address, String hash) {
        String domain = address.substring(address.indexOf('@') + 1);
        this.view = DirectoryView.of(List.of(new DomainDirectory(domain,
                Map.of(address, new Account(address, hash)), Map.of(), Map.of(), Set.of(), Set.of())), List.of());
    }

    @Override
    public DirectoryView view() {
        return view;
    }

    @Override
    public CompletionStage<Void> apply(DirectoryChange change) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("read-only"));
    }
}
