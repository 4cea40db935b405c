// Deterministic sample data for the shop example. Everything derives from one seeded PRNG and a fixed
// base timestamp, so two runs produce byte-identical tables on PGlite and on PostgreSQL alike. The
// data deliberately contains the awkward cases the API must handle: NULLs in every nullable column,
// ties on sort keys, users without profiles or orders, bigints above 2^53, and ids that do not follow
// the order of created_at or of the parent row.
import { getTableName } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { Database, Queryable } from 'graphql-auto-gen'
import { categories, orderItems, orders, productTags, products, profiles, tags, users } from './models.js'

/** Rows inserted per shop table, keyed like `shopTables` in models.ts. */
export interface SeedSummary {
  /** Rows in `users`. */
  users: number
  /** Rows in `profiles`. */
  profiles: number
  /** Rows in `categories`. */
  categories: number
  /** Rows in `products`. */
  products: number
  /** Rows in `orders`. */
  orders: number
  /** Rows in `order_items`. */
  orderItems: number
  /** Rows in `tags`. */
  tags: number
  /** Rows in `product_tags`. */
  productTags: number
}

/** Options for {@link seedShop}. */
export interface SeedOptions {
  /** Multiplies row counts (1 ≈ 6,000 rows); categories and tags shrink with it but stay at most 12, 25. */
  scale?: number
}

/** The PRNG seed; changing it changes every row and breaks any fixture or snapshot built on the data. */
export const SHOP_SEED = 20230101

/** Inserts the deterministic shop data into empty shop tables in one transaction; resets the id sequences. */
export async function seedShop(db: Database, options: SeedOptions = {}): Promise<SeedSummary> {
  const data = generateShopData(options.scale ?? 1)
  await db.transaction(async (tx) => {
    await insertRows(tx, users, data.users)
    await insertRows(tx, profiles, data.profiles)
    await insertRows(tx, categories, data.categories)
    await insertRows(tx, products, data.products)
    await insertRows(tx, orders, data.orders)
    await insertRows(tx, orderItems, data.orderItems)
    await insertRows(tx, tags, data.tags)
    await insertRows(tx, productTags, data.productTags)
    // Rows were inserted with explicit ids, which leaves each serial sequence at 1; without this
    // the first insert that relies on the default would collide with an existing id.
    for (const table of [users, profiles, categories, products, orders, orderItems, tags]) {
      const name = quoteIdent(getTableName(table))
      await tx.query({
        text: `select setval(pg_get_serial_sequence($1, 'id'), coalesce(max(id), 0) + 1, false) from ${name}`,
        values: [name],
      })
    }
  })
  return {
    users: data.users.rows.length,
    profiles: data.profiles.rows.length,
    categories: data.categories.rows.length,
    products: data.products.rows.length,
    orders: data.orders.rows.length,
    orderItems: data.orderItems.rows.length,
    tags: data.tags.rows.length,
    productTags: data.productTags.rows.length,
  }
}

// ---------------------------------------------------------------------------------------------------
// Generation (pure: no database, no clock, no Math.random)

type Row = readonly unknown[]

interface Rows {
  columns: readonly { readonly name: string }[]
  rows: Row[]
}

interface ShopData {
  users: Rows
  profiles: Rows
  categories: Rows
  products: Rows
  orders: Rows
  orderItems: Rows
  tags: Rows
  productTags: Rows
}

const START_MS = Date.UTC(2022, 0, 1)
const END_MS = Date.UTC(2025, 0, 1)
/** 2^53 - 1: weights above it lose precision as JS numbers, which is the point of seeding them. */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

const FIRST_NAMES = [
  'John',
  'Mary',
  'James',
  'Linda',
  'Robert',
  'Maria',
  'Michael',
  'Sarah',
  'David',
  'Emma',
  'Daniel',
  'Olivia',
  'Joseph',
  'Sophia',
  'Thomas',
  'Isabella',
  'Ahmed',
  'Yuki',
  'Chen',
  'Fatima',
  'Lucas',
  'Amara',
] as const
const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Lopez',
  'Wilson',
  'Anderson',
  'Taylor',
  'Nguyen',
  'Kim',
  "O'Brien",
  'van der Berg',
] as const
/** Usernames filter examples rely on: "john" in several cases and positions. */
const SPECIAL_USERS = [
  ['JohnDoe', 'John', 'Doe'],
  ['johnny', 'Johnny', 'Walker'],
  ['JOHN_SMITH', 'John', 'Smith'],
  ['big_john', 'Jon', 'Bigsby'],
  ['Johnathan.K', 'Johnathan', 'Kowalski'],
  ['mary_johnson', 'Mary', 'Johnson'],
] as const
const EMAIL_DOMAINS = ['example.com', 'example.org', 'mail.test'] as const
const BIOS = [
  'Coffee enthusiast.',
  'Loves hiking and photography.',
  'Collector of vintage vinyl.',
  'Full-stack developer from Lisbon.',
  'Reads two books a week.',
  'Says "hello" with quotes, commas & ampersands.',
  'Café owner — writes about crème brûlée ☕',
  'First line.\nSecond line.',
  'Back\\slash and 50% off_sale',
] as const
/** Parents precede children, so any prefix of the list is a valid tree. */
const CATEGORIES: readonly (readonly [name: string, parentIndex: number | null])[] = [
  ['Electronics', null],
  ['Home', null],
  ['Books', null],
  ['Computers', 0],
  ['Kitchen', 1],
  ['Fiction', 2],
  ['Laptops', 3],
  ['Phones', 0],
  ['Garden', 1],
  ['Toys', null],
  ['Sports', null],
  ['Clothing', null],
]
/** The last tag is never attached to a product, so "tags without products" has an example. */
const TAGS = [
  'new',
  'sale',
  'eco',
  'bestseller',
  'gift',
  'limited',
  'handmade',
  'imported',
  'organic',
  'premium',
  'budget',
  'clearance',
  'bundle',
  'refurbished',
  'vintage',
  'kids',
  'outdoor',
  'indoor',
  'wireless',
  'waterproof',
  'portable',
  'smart',
  'classic',
  'seasonal',
  'exclusive',
] as const
const ADJECTIVES = [
  'Sturdy',
  'Compact',
  'Deluxe',
  'Classic',
  'Smart',
  'Eco',
  'Ultra',
  'Mini',
  'Pro',
  'Rustic',
  'Modern',
  'Cozy',
] as const
const NOUNS = [
  'Lamp',
  'Chair',
  'Kettle',
  'Backpack',
  'Headphones',
  'Notebook',
  'Blender',
  'Jacket',
  'Mug',
  'Speaker',
  'Tent',
  'Watch',
] as const
const COLORS = ['red', 'green', 'blue', 'black', 'white', 'silver'] as const
const SIZES = ['S', 'M', 'L', 'XL'] as const
const FEATURES = ['waterproof', 'rechargeable', 'foldable', 'dishwasher-safe', 'bluetooth'] as const
/** Common price points, so several products share a price (ties for ordering tests). */
const POPULAR_PRICES = ['9.99', '19.99', '49.00', '99.00'] as const
const NOTES = ['Leave at the door', 'Gift wrap, please', 'Call before delivery', 'Fragile!', ''] as const
const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'] as const

function generateShopData(scale: number): ShopData {
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new RangeError(`seedShop: scale must be a positive number, got ${scale}`)
  }
  const rng = new Rng(SHOP_SEED)
  const scaled = (base: number, min: number): number => Math.max(min, Math.round(base * scale))

  const userCount = scaled(400, 20)
  const categoryCount = Math.min(CATEGORIES.length, scaled(CATEGORIES.length, 6))
  const tagCount = Math.min(TAGS.length, scaled(TAGS.length, 6))
  const productCount = scaled(250, 20)
  const orderCount = scaled(1200, 30)

  // Users ------------------------------------------------------------------------------------------
  const specialAt = new Map<number, (typeof SPECIAL_USERS)[number]>()
  SPECIAL_USERS.forEach((special, k) => {
    specialAt.set(Math.floor(((k + 1) * userCount) / (SPECIAL_USERS.length + 1)), special)
  })
  const userRows: Row[] = []
  const userNames: { first: string; last: string }[] = []
  const userCreatedMs: number[] = []
  for (let i = 0; i < userCount; i++) {
    const id = i + 1
    const special = specialAt.get(i)
    const first = special?.[1] ?? rng.pick(FIRST_NAMES)
    const last = special?.[2] ?? rng.pick(LAST_NAMES)
    const username = i === 0 ? 'admin' : (special?.[0] ?? `${slug(first)}_${slug(last)}_${id}`)
    const domain = rng.pick(EMAIL_DOMAINS)
    const email = i === 0 ? 'admin@example.com' : `${slug(first)}.${slug(last)}${id}@${domain}`
    // Some users share a sign-up instant with the previous user: ties that need an id tiebreaker.
    const createdMs = i % 15 === 4 ? at(userCreatedMs, i - 1) : rng.timestamp(START_MS, END_MS)
    const lastLogin = i % 7 === 2 || rng.chance(0.1) ? null : iso(rng.timestamp(createdMs, END_MS))
    const isActive = !(i % 12 === 5 || rng.chance(0.04))
    const isStaff = i === 0 || i % 50 === 25
    userRows.push([id, username, email, null, isActive, isStaff, iso(createdMs), lastLogin])
    userNames.push({ first, last })
    userCreatedMs.push(createdMs)
  }

  // Profiles: every tenth user has none; ids are shuffled so profiles.id never lines up with user_id.
  const profileUsers = rng.shuffle(userNames.map((_, i) => i).filter((i) => i % 10 !== 9))
  const profileRows: Row[] = profileUsers.map((userIndex, k) => {
    const { first, last } = at(userNames, userIndex)
    const bio = k % 4 === 1 ? null : rng.pick(BIOS)
    const birthDate =
      k % 5 === 2 ? null : iso(rng.timestamp(Date.UTC(1950, 0, 1), Date.UTC(2007, 0, 1))).slice(0, 10)
    return [k + 1, userIndex + 1, first, last, bio, birthDate]
  })
  profileRows.sort((a, b) => Number(a[0]) - Number(b[0]))

  // Categories and tags ----------------------------------------------------------------------------
  const categoryRows: Row[] = CATEGORIES.slice(0, categoryCount).map(([name, parentIndex], i) => [
    i + 1,
    name,
    parentIndex === null ? null : parentIndex + 1,
  ])
  const tagRows: Row[] = TAGS.slice(0, tagCount).map((name, i) => [i + 1, name])

  // Products ---------------------------------------------------------------------------------------
  const productRows: Row[] = []
  const priceCents: number[] = []
  let hugeWeights = 0
  for (let i = 0; i < productCount; i++) {
    const id = i + 1
    const adjective = rng.pick(ADJECTIVES)
    const noun = rng.pick(NOUNS)
    const price = rng.chance(0.25) ? rng.pick(POPULAR_PRICES) : centsToDecimal(rng.int(199, 99_999))
    let weight: string | null
    if (i % 40 === 7) {
      // The first one is 2^53 + 1, the smallest integer a double cannot represent.
      weight = (MAX_SAFE + 2n + BigInt(hugeWeights === 0 ? 0 : rng.int(1, 1_000_000_000))).toString()
      hugeWeights++
    } else {
      weight = i % 9 === 4 || rng.chance(0.08) ? null : String(rng.int(5, 50_000))
    }
    productRows.push([
      id,
      rng.uuid(),
      `${adjective} ${noun}`,
      i % 5 === 3 ? null : `A ${adjective.toLowerCase()} ${noun.toLowerCase()} for everyday use.`,
      price,
      i % 11 === 3 ? 0 : rng.int(1, 500),
      weight,
      i % 10 === 6 ? null : rng.int(1, categoryCount),
      i % 4 === 1 ? null : JSON.stringify(productAttributes(rng)),
      i % 13 === 8 ? at(productRows, i - 1)[9] : iso(rng.timestamp(START_MS, END_MS)),
    ])
    priceCents.push(decimalToCents(price))
  }

  // Product tags: 0..4 distinct tags per product (the last tag stays unused) ---------------------------
  const productTagRows: Row[] = []
  const usableTags = tagCount - 1
  for (let p = 1; p <= productCount; p++) {
    const count = p % 17 === 5 ? 0 : rng.int(0, Math.min(4, usableTags))
    const chosen = rng.sample(usableTags, count).sort((a, b) => a - b)
    for (const tagIndex of chosen) productTagRows.push([p, tagIndex + 1])
  }

  // Orders: exactly orderCount, 0..6 per user, every ninth user none ----------------------------------
  const MAX_ORDERS_PER_USER = 6
  const perUser = userNames.map((_, i) => (i % 9 === 4 ? 0 : rng.int(0, MAX_ORDERS_PER_USER)))
  const buyers = perUser.map((_, i) => i).filter((i) => i % 9 !== 4)
  if (buyers.length * MAX_ORDERS_PER_USER < orderCount) {
    throw new RangeError('seedShop: too few users for the requested number of orders')
  }
  let missing = orderCount - perUser.reduce((sum, n) => sum + n, 0)
  while (missing !== 0) {
    const i = rng.pick(buyers)
    const n = at(perUser, i)
    if (missing > 0 && n < MAX_ORDERS_PER_USER) {
      perUser[i] = n + 1
      missing--
    } else if (missing < 0 && n > 0) {
      perUser[i] = n - 1
      missing++
    }
  }
  const pendingOrders: { userId: number; createdMs: number }[] = []
  perUser.forEach((n, i) => {
    for (let k = 0; k < n; k++) {
      const previous = pendingOrders.at(-1)
      const createdMs =
        previous !== undefined && pendingOrders.length % 20 === 7
          ? Math.max(previous.createdMs, at(userCreatedMs, i))
          : rng.timestamp(at(userCreatedMs, i), END_MS)
      pendingOrders.push({ userId: i + 1, createdMs })
    }
  })
  // Shuffled so order ids follow neither user_id nor created_at.
  rng.shuffle(pendingOrders)
  const orderRows: Row[] = []
  const orderItemRows: Row[] = []
  pendingOrders.forEach(({ userId, createdMs }, k) => {
    const orderId = k + 1
    const status = k < STATUSES.length ? at(STATUSES, k) : weightedStatus(rng)
    let totalCents = 0
    const lines = rng.int(1, Math.min(5, productCount))
    for (const productIndex of rng.sample(productCount, lines)) {
      const quantity = rng.chance(0.6) ? 1 : rng.int(2, 5)
      const cents = at(priceCents, productIndex)
      totalCents += cents * quantity
      orderItemRows.push([
        orderItemRows.length + 1,
        orderId,
        productIndex + 1,
        quantity,
        centsToDecimal(cents),
      ])
    }
    const note = k % 3 === 1 || rng.chance(0.5) ? null : rng.pick(NOTES)
    orderRows.push([orderId, userId, status, centsToDecimal(totalCents), note, iso(createdMs)])
  })

  return {
    users: {
      columns: [
        users.id,
        users.username,
        users.email,
        users.password,
        users.isActive,
        users.isStaff,
        users.createdAt,
        users.lastLogin,
      ],
      rows: userRows,
    },
    profiles: {
      columns: [
        profiles.id,
        profiles.userId,
        profiles.firstName,
        profiles.lastName,
        profiles.bio,
        profiles.birthDate,
      ],
      rows: profileRows,
    },
    categories: { columns: [categories.id, categories.name, categories.parentId], rows: categoryRows },
    products: {
      columns: [
        products.id,
        products.sku,
        products.name,
        products.description,
        products.price,
        products.stock,
        products.weightGrams,
        products.categoryId,
        products.attributes,
        products.createdAt,
      ],
      rows: productRows,
    },
    orders: {
      columns: [orders.id, orders.userId, orders.status, orders.total, orders.note, orders.createdAt],
      rows: orderRows,
    },
    orderItems: {
      columns: [
        orderItems.id,
        orderItems.orderId,
        orderItems.productId,
        orderItems.quantity,
        orderItems.unitPrice,
      ],
      rows: orderItemRows,
    },
    tags: { columns: [tags.id, tags.name], rows: tagRows },
    productTags: { columns: [productTags.productId, productTags.tagId], rows: productTagRows },
  }
}

function productAttributes(rng: Rng): Record<string, unknown> {
  const attributes: Record<string, unknown> = { color: rng.pick(COLORS) }
  if (rng.chance(0.5)) attributes.size = rng.pick(SIZES)
  if (rng.chance(0.4)) attributes.dimensions = { widthCm: rng.int(5, 120), heightCm: rng.int(5, 200) }
  if (rng.chance(0.4))
    attributes.features = rng.sample(FEATURES.length, rng.int(1, 3)).map((i) => at(FEATURES, i))
  if (rng.chance(0.2)) attributes.fragile = rng.chance(0.5)
  if (rng.chance(0.2)) attributes.rating = rng.int(10, 50) / 10
  return attributes
}

function weightedStatus(rng: Rng): (typeof STATUSES)[number] {
  const r = rng.next()
  if (r < 0.15) return 'pending'
  if (r < 0.3) return 'paid'
  if (r < 0.45) return 'shipped'
  if (r < 0.85) return 'delivered'
  return 'cancelled'
}

// ---------------------------------------------------------------------------------------------------
// Insertion

/** PostgreSQL's wire protocol caps bind parameters at 65535 per statement. */
const MAX_PARAMS = 65_535
/** Keeps single statements (and their error messages) a manageable size. */
const MAX_ROWS_PER_STATEMENT = 1_000

async function insertRows(tx: Queryable, table: PgTable, { columns, rows }: Rows): Promise<void> {
  const columnList = columns.map((column) => quoteIdent(column.name)).join(', ')
  const perStatement = Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMS / columns.length))
  for (let start = 0; start < rows.length; start += perStatement) {
    const values: unknown[] = []
    const tuples = rows.slice(start, start + perStatement).map((row) => {
      if (row.length !== columns.length)
        throw new Error(`seedShop: row width mismatch for ${getTableName(table)}`)
      const placeholders = row.map((value) => `$${values.push(value)}`)
      return `(${placeholders.join(', ')})`
    })
    await tx.query({
      text: `insert into ${quoteIdent(getTableName(table))} (${columnList}) values ${tuples.join(', ')}`,
      values,
    })
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

// ---------------------------------------------------------------------------------------------------
// Helpers

/** mulberry32: tiny, fast, good enough for test data, and the same sequence on every platform. */
class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    return at(items, this.int(0, items.length - 1))
  }

  /** Whole seconds, so values survive a round trip through timestamptz unchanged. */
  timestamp(fromMs: number, toMs: number): number {
    return fromMs + this.int(0, Math.floor((toMs - fromMs) / 1000) - 1) * 1000
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i)
      const item = at(items, i)
      items[i] = at(items, j)
      items[j] = item
    }
    return items
  }

  /** `count` distinct indexes out of `0 .. size - 1`. */
  sample(size: number, count: number): number[] {
    return this.shuffle(Array.from({ length: size }, (_, i) => i)).slice(0, count)
  }

  /** A version-4 UUID made of PRNG bytes. */
  uuid(): string {
    const hex = Array.from({ length: 16 }, (_, i) => {
      let byte = this.int(0, 255)
      if (i === 6) byte = (byte & 0x0f) | 0x40
      if (i === 8) byte = (byte & 0x3f) | 0x80
      return byte.toString(16).padStart(2, '0')
    }).join('')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index]
  if (item === undefined) throw new RangeError(`seedShop: index ${index} out of range`)
  return item
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

function centsToDecimal(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
}

function decimalToCents(decimal: string): number {
  const [whole = '0', fraction = '0'] = decimal.split('.')
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
}
