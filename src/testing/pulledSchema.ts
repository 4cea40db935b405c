// A models module in the shape `drizzle-kit pull` writes (tables, enums, a sequence, a view and
// relations side by side), with TSDoc comments: the fixture for `models: schema` and for
// descriptions read from the models file (src/models/tsdocDescriptions.test.ts).
import { relations, sql } from 'drizzle-orm'
import { foreignKey, integer, pgEnum, pgSequence, pgTable, pgView, serial, text } from 'drizzle-orm/pg-core'

/** Where a ticket stands. */
export const ticketStatus = pgEnum('ticket_status', ['open', 'closed'])
export const unusedMood = pgEnum('unused_mood', ['ok'])
export const ticketNumbers = pgSequence('ticket_numbers', { startWith: '1000', increment: '1' })

/** People who answer tickets. */
export const staff = pgTable('staff', {
  id: serial().primaryKey().notNull(),
  /**
   * Full name,
   * as printed on the badge.
   */
  fullName: text('full_name').notNull(),
})

export const tickets = pgTable(
  'tickets',
  {
    id: serial().primaryKey().notNull(),
    staffId: integer('staff_id'),
    /** Where the ticket is now. */
    status: ticketStatus().default('open').notNull(),
    subject: text().notNull(),
  },
  (table) => [
    foreignKey({ columns: [table.staffId], foreignColumns: [staff.id], name: 'tickets_staff_id_fkey' }),
  ],
)

/** Open tickets per staff member. */
export const openTickets = pgView('open_tickets', {
  /** Who holds them. */
  staffId: integer('staff_id'),
  open: integer(),
}).as(sql`SELECT staff_id, count(*)::integer AS open FROM tickets WHERE status = 'open' GROUP BY staff_id`)

export const ticketsRelations = relations(tickets, ({ one }) => ({
  staff: one(staff, { fields: [tickets.staffId], references: [staff.id] }),
}))

export const staffRelations = relations(staff, ({ many }) => ({ tickets: many(tickets) }))
