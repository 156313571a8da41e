/** Ban-list logic (docker-mailserver's Fail2ban): networks, failure windows, policy and the {@link io.mailfleet.core.ban.BanService} interface. */
package io.mailfleet.core.ban;
