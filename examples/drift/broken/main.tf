# drift-check example: a stack whose plan fails (exit 1): it reads a file that does not exist. The
# action must report it as an error with terraform's message, never as drift.
resource "terraform_data" "settings" {
  input = file("${path.module}/settings-that-do-not-exist.json")
}
