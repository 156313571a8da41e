/**
 * The built-in statistical spam classifier: message text through the one MIME parser, words, OSB token
 * pairs hashed into a bounded table, Robinson/Fisher naive Bayes over the learned counts, and a logistic
 * regression over the same buckets joined with it.
 */
package io.mailfleet.core.spam.classifier;
