// Computed fields of the shop example (registered in graphql-auto-gen.config.ts `resolvers`).
import { defineResolvers, field } from 'graphql-auto-gen'
import { profiles } from './models.js'

/** `Profile.fullName`: the compiler reads first_name and last_name in the same SQL statement. */
export const profileResolvers = defineResolvers(profiles, {
  fullName: field({
    type: 'String!',
    description: 'First and last name, separated by a space.',
    needs: ['firstName', 'lastName'],
    resolve: (profile) => `${profile.firstName} ${profile.lastName}`,
  }),
})
