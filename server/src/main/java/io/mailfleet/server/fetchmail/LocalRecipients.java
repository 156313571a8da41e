package io.mailfleet.server.fetchmail;

import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.service.DirectoryService;

import java.util.function.Predicate;

/**
 * Whether a source's {@code is} address is mail this server takes in: an account, an alias, a catch-all
 * or regular-expression alias, or an account's subaddress. Checked before each poll, so mail for an
 * unknown address (a typo, or a directory still loading) stays on the remote instead of bouncing.
 */
final class LocalRecipients implements Predicate<String> {

    private final DirectoryService directory;

    LocalRecipients(DirectoryService directory) {
        this.directory = directory;
    }

    @Override
    public boolean test(String address) {
        DirectoryView view = directory.view();
        int at = address.lastIndexOf('@');
        String domain = address.substring(at + 1);
        if (!view.isLocalDomain(domain)) {
            return false;
        }
        String local = address.substring(0, at);
        int plus = local.indexOf('+');
        String base = plus > 0 ? local.substring(0, plus) + "@" + domain : address;
        return view.account(address).isPresent() || view.account(base).isPresent()
                || !view.aliasTargets(address).isEmpty() || !view.aliasTargets(base).isEmpty()
                || !view.aliasTargets("@" + domain).isEmpty() || !view.regexAliases().isEmpty();
    }
}
