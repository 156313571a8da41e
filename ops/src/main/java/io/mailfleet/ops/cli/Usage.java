package io.mailfleet.ops.cli;

/** Help texts of the CLI, modelled on docker-mailserver's {@code setup} man pages. */
final class Usage {

    private Usage() {
    }

    static final String MAIN = """
            MAILFLEET(1)

            NAME
                mailfleet - Mailfleet administration CLI (docker-mailserver `setup` compatible)

            SYNOPSIS
                ./mailfleet [ --config FILE ] COMMAND [ help | ARGUMENTS... ]

                COMMAND := { serve | email | alias | quota | fail2ban | queue | sessions | blobs | backup | config | relay | help } SUBCOMMAND

            DESCRIPTION
                `./mailfleet serve` starts a node. Every other command talks to the running node
                through its management API; the address and token come from the same configuration
                the node uses (--config FILE or MAILFLEET_CONFIG, environment variables, and the
                token file <data-dir>/api-token).

                Most subcommands print more information when you append 'help'.
                For example: './mailfleet email add help'

            [SUB]COMMANDS
                COMMAND email :=
                    ./mailfleet email add <EMAIL ADDRESS> [<PASSWORD>]
                    ./mailfleet email update <EMAIL ADDRESS> [<PASSWORD>]
                    ./mailfleet email del [ OPTIONS... ] <EMAIL ADDRESS> [ <EMAIL ADDRESS>... ]
                    ./mailfleet email restrict <add|del|list> <send|receive> [<EMAIL ADDRESS>]
                    ./mailfleet email list

                COMMAND alias :=
                    ./mailfleet alias add <EMAIL ADDRESS> <RECIPIENT>
                    ./mailfleet alias del <EMAIL ADDRESS> <RECIPIENT>
                    ./mailfleet alias list

                COMMAND quota :=
                    ./mailfleet quota set <EMAIL ADDRESS> [<QUOTA>]
                    ./mailfleet quota del <EMAIL ADDRESS>

                COMMAND queue :=
                    ./mailfleet queue list [--sender S] [--recipient R] [--status S] [--older-than AGE]
                    ./mailfleet queue show <ID>
                    ./mailfleet queue flush [<ID>]
                    ./mailfleet queue delete <ID>
                    ./mailfleet queue bounce <ID>

                COMMAND sessions :=
                    ./mailfleet sessions [list [<ACCOUNT>]]
                    ./mailfleet sessions kick <ACCOUNT> [<ID>]

                COMMAND blobs :=
                    ./mailfleet blobs gc [--dry-run]

                COMMAND backup :=
                    ./mailfleet backup <DIRECTORY>

                COMMAND config :=
                    ./mailfleet config dkim [ keysize <1024|2048|4096> ] [ keytype <rsa|ed25519> ]
                                            [ selector <SELECTOR> ] [ domain <DOMAIN>[,<DOMAIN>...] ]

                COMMAND relay :=
                    ./mailfleet relay add-domain <DOMAIN> <HOST> [<PORT>]
                    ./mailfleet relay add-auth <DOMAIN> <USERNAME> [<PASSWORD>]
                    ./mailfleet relay exclude-domain <DOMAIN>

            EXAMPLES
                ./mailfleet email add test@example.com
                    Add the email account test@example.com. You will be prompted
                    to input a password afterwards since no password was supplied.

            EXIT STATUS
                0 on success, 1 on wrong or erroneous arguments or when the node cannot be
                reached, 2 for an unknown command.
            """;

    static String command(String usage, String description) {
        return "USAGE\n    " + usage + "\n\nOPTIONS\n    Generic Program Information\n        help       Print the usage information.\n\n"
                + "DESCRIPTION\n" + description.indent(4) + "\nEXIT STATUS\n"
                + "    Exit status is 0 if command was successful. If wrong arguments are provided\n"
                + "    or arguments contain errors, the command will exit early with exit status 1.\n";
    }

    static final String EMAIL_ADD = command("./mailfleet email add <MAIL ACCOUNT> [<PASSWORD>]",
            "Add a new mail account (email address).\n\nTo avoid a password being logged in the command history of your shell,\n"
                    + "you may omit it, you'll be prompted to input the password instead.");
    static final String EMAIL_UPDATE = command("./mailfleet email update <MAIL ACCOUNT> [<PASSWORD>]",
            "Update the password for a mail account.\n\nTo avoid a password being logged in the command history of your shell,\n"
                    + "you may omit it, you'll be prompted to input the password instead.");
    static final String EMAIL_DEL = command("./mailfleet email del [ OPTIONS ] <MAIL ACCOUNT> [<EXTRA MAIL ACCOUNTS> ... ]",
            "Delete a mail account, including associated data (aliases, quotas, restrictions).\n"
                    + "-y also deletes all its mail (as docker-mailserver does when told yes); without -y the\n"
                    + "mail is kept. Mailfleet never prompts here.");
    static final String EMAIL_LIST = command("./mailfleet email list",
            "List every mail account with its quota usage (when quotas are enabled) and the aliases pointing at it.");
    static final String EMAIL_RESTRICT = command("./mailfleet email restrict <add|del|list> <send|receive> [<email@domain.com>]",
            "Deny (add) or allow again (del) an address to send or receive mail, or list the denied addresses.");
    static final String ALIAS_ADD = command("./mailfleet alias add <MAIL ALIAS> <RECIPIENT>",
            "Add an alias for a recipient (a mail account).\n\nAlias and recipient domains can be different.\n"
                    + "The recipient domain can be external (eg: @gmail.com).\nMultiple recipients are separated by comma.");
    static final String ALIAS_DEL = command("./mailfleet alias del <MAIL ALIAS> <RECIPIENT>",
            "Remove a mail account (the recipient) from an existing alias.\n"
                    + "If the alias has no more recipients, the alias will also be removed.");
    static final String ALIAS_LIST = command("./mailfleet alias list", "List every alias with its recipients.");
    static final String QUOTA_SET = command("./mailfleet quota set <MAIL ACCOUNT> [<QUOTA>]",
            "Set a quota (storage limit) for an existing mail account.\n\n"
                    + "The quota value is in bytes. You may use a unit suffix for convenience,\n"
                    + "such as 10M for 10 MebiBytes (MiB). A value of 0 opts out of enforcing quota.");
    static final String QUOTA_DEL = command("./mailfleet quota del <MAIL ACCOUNT>",
            "Remove any quota set for an existing mail account.");
}
