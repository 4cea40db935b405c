import type { Node, SourceFile } from 'ts-morph'

/** The package name users import from; deep paths of older versions are folded into it. */
export const PACKAGE = 'graphql-auto-gen'

/** True when `specifier` is the package or one of the deep paths older versions exported. */
export function isPackageSpecifier(specifier: string): boolean {
  return specifier === PACKAGE || specifier.startsWith(`${PACKAGE}/`)
}

/**
 * The local name under which `name` is imported from the package (any deep path), if it is.
 * Handles `import { AutoSchema as Schema }`.
 */
export function importedLocalName(file: SourceFile, name: string): string | undefined {
  for (const declaration of file.getImportDeclarations()) {
    if (!isPackageSpecifier(declaration.getModuleSpecifierValue())) continue
    for (const specifier of declaration.getNamedImports()) {
      if (specifier.getName() === name) return specifier.getAliasNode()?.getText() ?? name
    }
  }
  return undefined
}

/** Adds `import { name } from 'graphql-auto-gen'` unless the file already imports it from there. */
export function ensureNamedImport(file: SourceFile, name: string): void {
  const declarations = file
    .getImportDeclarations()
    .filter((d) => isPackageSpecifier(d.getModuleSpecifierValue()))
  if (declarations.some((d) => d.getNamedImports().some((s) => s.getName() === name && !s.getAliasNode())))
    return
  const main = declarations.find((d) => d.getModuleSpecifierValue() === PACKAGE && !d.isTypeOnly())
  if (main) {
    main.addNamedImport(name)
    return
  }
  const imports = file.getImportDeclarations()
  const added = file.insertImportDeclaration(
    imports.length > 0 ? imports[imports.length - 1]!.getChildIndex() + 1 : 0,
    {
      namedImports: [name],
      moduleSpecifier: PACKAGE,
    },
  )
  matchSemicolons(file, added)
}

/** Drops the semicolon ts-morph puts after a statement it wrote, in files written without them. */
export function matchSemicolons(file: SourceFile, statement: Node): void {
  const others = file.getStatements().filter((s) => s !== statement)
  const withSemicolon = others.filter((s) => s.getText().endsWith(';')).length
  if (withSemicolon * 2 < others.length && statement.getText().endsWith(';')) {
    statement.replaceWithText(statement.getText().slice(0, -1))
  }
}

/** Removes the named import `name` from package imports; drops a declaration left empty. */
export function removeNamedImport(file: SourceFile, name: string): void {
  for (const declaration of file.getImportDeclarations()) {
    if (!isPackageSpecifier(declaration.getModuleSpecifierValue())) continue
    for (const specifier of declaration.getNamedImports()) {
      if (specifier.getName() === name) specifier.remove()
    }
    if (
      declaration.getNamedImports().length === 0 &&
      !declaration.getDefaultImport() &&
      !declaration.getNamespaceImport()
    ) {
      declaration.remove()
    }
  }
}
