/** The fixed catalogue of specialties, with their labels in each UI language. */
export const SPECIALTIES = {
  dermatologia: { es: 'Dermatología', en: 'Dermatology' },
  cardiologia: { es: 'Cardiología', en: 'Cardiology' },
  pediatria: { es: 'Pediatría', en: 'Pediatrics' },
  psicologia: { es: 'Psicología', en: 'Psychology' },
  ginecologia: { es: 'Ginecología', en: 'Gynecology' },
  traumatologia: { es: 'Traumatología', en: 'Orthopedics' },
  oftalmologia: { es: 'Oftalmología', en: 'Ophthalmology' },
  endocrinologia: { es: 'Endocrinología', en: 'Endocrinology' },
  neurologia: { es: 'Neurología', en: 'Neurology' },
  medicina_general: { es: 'Medicina general', en: 'General practice' },
  nutricion: { es: 'Nutrición', en: 'Nutrition' },
  psiquiatria: { es: 'Psiquiatría', en: 'Psychiatry' },
} as const;

export type SpecialtyCode = keyof typeof SPECIALTIES;
export const SPECIALTY_CODES = Object.keys(SPECIALTIES) as [SpecialtyCode, ...SpecialtyCode[]];
