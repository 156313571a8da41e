/**
 * Greylisting (docker-mailserver's Postgrey): the triplet, the policy, the decision, the whitelist
 * files and the {@link io.mailfleet.core.greylist.Greylist} service a cluster implements.
 */
package io.mailfleet.core.greylist;
